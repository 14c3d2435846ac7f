package io.estafeta.broker.config;

/**
 * The lines that mean something in a file in Mosquitto's style (the configuration, the ACL file): one
 * directive per line, '#' comments and blank lines ignored, surrounding blanks (and a CRLF's '\r')
 * dropped, a UTF-8 byte order mark at the start tolerated. Line numbers count every line, for messages.
 */
public final class ConfigText {

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final String COMMENT = "#";

    /** Receives each meaningful line. */
    @FunctionalInterface
    public interface LineVisitor {
        void line(int number, String content) throws ConfigException;
    }

    private ConfigText() {
    }

    public static void forEachLine(String text, LineVisitor visitor) throws ConfigException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                line = line.substring(1);
            }
            String content = line.strip();
            if (!content.isEmpty() && !content.startsWith(COMMENT)) {
                visitor.line(i + 1, content);
            }
        }
    }
}
