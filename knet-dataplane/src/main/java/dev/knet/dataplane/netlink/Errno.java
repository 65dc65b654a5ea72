package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;

import java.util.List;

/**
 * Kernel error numbers as the dataplane's failure kinds, worded as iproute2 prints them, so a caller
 * sees the same {@link DataplaneException.Kind} (and nearly the same text) whichever implementation ran.
 */
final class Errno {

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int ERANGE = 34;
    static final int EMSGSIZE = 90;
    static final int ENOBUFS = 105;
    static final int EOPNOTSUPP = 95;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETDOWN = 100;
    static final int ENETUNREACH = 101;

    private Errno() {
    }

    static DataplaneException exception(String what, int errno) {
        String text = "RTNETLINK answers: " + describe(errno);
        return new DataplaneException(kind(errno), what + " failed: " + text, List.of(), -1, text, null);
    }

    static DataplaneException.Kind kind(int errno) {
        return switch (errno) {
            case EEXIST -> DataplaneException.Kind.EXISTS;
            // ip words these "Cannot find device", "No such process", "Cannot assign requested address"
            case ENOENT, ESRCH, ENODEV, EADDRNOTAVAIL -> DataplaneException.Kind.NOT_FOUND;
            case EPERM, EACCES -> DataplaneException.Kind.PERMISSION;
            case EINVAL, ERANGE -> DataplaneException.Kind.INVALID;
            default -> DataplaneException.Kind.OTHER;
        };
    }

    static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case ESRCH -> "No such process";
            case EACCES -> "Permission denied";
            case EBUSY -> "Device or resource busy";
            case EEXIST -> "File exists";
            case ENODEV -> "No such device";
            case EINVAL -> "Invalid argument";
            case ERANGE -> "Numerical result out of range";
            case ENOSPC -> "No space left on device";
            case EMSGSIZE -> "Message too long";
            case ENOBUFS -> "No buffer space available";
            case EOPNOTSUPP -> "Operation not supported";
            case EADDRNOTAVAIL -> "Cannot assign requested address";
            case ENETDOWN -> "Network is down";
            case ENETUNREACH -> "Network is unreachable";
            default -> "errno " + errno;
        };
    }
}
