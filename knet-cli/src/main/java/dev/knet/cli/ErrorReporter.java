package dev.knet.cli;

import dev.knet.model.ManifestException;
import dev.knet.store.ApiException;
import picocli.CommandLine;

/** Prints failures the way kubectl does ("error: ..."), never a stack trace for expected errors. */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String message = switch (e) {
            case ApiException.Invalid invalid -> "The " + invalid.key().kind() + " \"" + invalid.key().name()
                    + "\" is invalid: " + invalid.getMessage().substring(invalid.getMessage().indexOf(" is invalid: ") + 13);
            case ApiException api -> api.getMessage();
            case ManifestException m -> m.getMessage();
            case IllegalArgumentException i -> i.getMessage();
            case CliException c -> c.getMessage();
            default -> null;
        };
        if (message == null) {
            cl.getErr().println("error: " + e);
            e.printStackTrace(cl.getErr());
        } else {
            cl.getErr().println("error: " + message);
        }
        cl.getErr().flush();
        return 1;
    }
}
