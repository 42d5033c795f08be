package gopl.common;

/**
 * A runtime failure to report as one line ({@code tool: message}) with exit status 1, or another
 * status when a tool documents one (a cancelled crawl exits 130).
 */
public class ToolException extends RuntimeException {
    private final int status;

    public ToolException(String message) {
        this(message, Cli.FAILURE, null);
    }

    public ToolException(String message, Throwable cause) {
        this(message, Cli.FAILURE, cause);
    }

    public ToolException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
