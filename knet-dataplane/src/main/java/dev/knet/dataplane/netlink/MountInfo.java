package dev.knet.dataplane.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads /proc/PID/mountinfo lines: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE ...". */
final class MountInfo {

    private MountInfo() {
    }

    static boolean isSharedMountPoint(Path mountinfo, String mountPoint) {
        try {
            return isSharedMountPoint(Files.readAllLines(mountinfo), mountPoint);
        } catch (IOException e) {
            return false;
        }
    }

    /** The last mount on the point wins, as the kernel stacks them. */
    static boolean isSharedMountPoint(List<String> lines, String mountPoint) {
        boolean shared = false;
        boolean found = false;
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length > 6 && f[4].equals(mountPoint)) {
                found = true;
                shared = false;
                for (int i = 6; i < f.length && !f[i].equals("-"); i++) {
                    shared |= f[i].startsWith("shared:");
                }
            }
        }
        return found && shared;
    }
}
