package io.estafeta.cli.passwd;

/** Why {@code estafeta passwd} stops: the line it prints (mosquitto_passwd's words) and its exit status. */
final class PasswdException extends Exception {

    private final int status;
    private final boolean showUsage;

    PasswdException(String message) {
        this(message, PasswdCommand.FAILURE, false);
    }

    PasswdException(String message, boolean showUsage) {
        this(message, PasswdCommand.FAILURE, showUsage);
    }

    PasswdException(String message, int status, boolean showUsage) {
        super(message);
        this.status = status;
        this.showUsage = showUsage;
    }

    int status() {
        return status;
    }

    boolean showUsage() {
        return showUsage;
    }
}
