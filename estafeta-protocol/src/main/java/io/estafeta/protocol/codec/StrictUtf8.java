package io.estafeta.protocol.codec;

/**
 * Well-formed UTF-8 as RFC 3629 defines it, which is what MQTT requires of every UTF-8 Encoded String
 * (5.0 [MQTT-1.5.4-1], 3.1.1 [MQTT-1.5.3-1]): no overlong forms, no encoded surrogates (U+D800..U+DFFF),
 * nothing above U+10FFFF, no truncated sequence. MQTT also forbids U+0000 (5.0 [MQTT-1.5.4-2], 3.1.1
 * [MQTT-1.5.3-2]). These are the rules Netty's decoder applies in its strict mode; here they run as one
 * loop over a byte array, with no decoder object and no per-byte call into the buffer.
 */
final class StrictUtf8 {

    /** The bytes are well-formed UTF-8 without U+0000. */
    static final int VALID = -1;
    /** The bytes contain U+0000 (the single byte 0x00; its overlong forms are ill-formed anyway). */
    static final int NULL_CHARACTER = -2;

    private static final int CONTINUATION_MASK = 0xC0;
    private static final int CONTINUATION_TAG = 0x80;
    private static final int LOWEST_CONTINUATION = 0x80;
    private static final int HIGHEST_CONTINUATION = 0xBF;
    /** 0xC0 and 0xC1 could only start overlong two-byte forms of ASCII. */
    private static final int LOWEST_TWO_BYTE_LEAD = 0xC2;
    private static final int LOWEST_THREE_BYTE_LEAD = 0xE0;
    private static final int LOWEST_FOUR_BYTE_LEAD = 0xF0;
    /** Leads above 0xF4 would encode code points above U+10FFFF. */
    private static final int HIGHEST_FOUR_BYTE_LEAD = 0xF4;
    /** After 0xE0 the next byte must be at least 0xA0, or the form is overlong. */
    private static final int OVERLONG_THREE_BYTE_LEAD = 0xE0;
    private static final int LOWEST_AFTER_OVERLONG_THREE = 0xA0;
    /** After 0xED the next byte must be at most 0x9F, or it encodes a surrogate. */
    private static final int SURROGATE_THREE_BYTE_LEAD = 0xED;
    private static final int HIGHEST_BEFORE_SURROGATES = 0x9F;
    /** After 0xF0 the next byte must be at least 0x90, or the form is overlong. */
    private static final int OVERLONG_FOUR_BYTE_LEAD = 0xF0;
    private static final int LOWEST_AFTER_OVERLONG_FOUR = 0x90;
    /** After 0xF4 the next byte must be at most 0x8F, or the code point is above U+10FFFF. */
    private static final int HIGHEST_FOUR_BYTE_LEAD_LIMIT = 0xF4;
    private static final int HIGHEST_AFTER_LAST_PLANE = 0x8F;
    private static final int BYTE_MASK = 0xFF;

    private StrictUtf8() {
    }

    /**
     * Checks {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * @return {@link #VALID}, {@link #NULL_CHARACTER}, or the offset (from {@code offset}) of the first
     *         byte of an ill-formed sequence
     */
    static int check(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            byte b = bytes[i];
            if (b > 0) {
                i++;
                continue;
            }
            if (b == 0) {
                return NULL_CHARACTER;
            }
            int lead = b & BYTE_MASK;
            int sequenceLength = wellFormedSequenceLength(bytes, i, end, lead);
            if (sequenceLength == 0) {
                return i - offset;
            }
            i += sequenceLength;
        }
        return VALID;
    }

    /** The length of the well-formed multi-byte sequence starting at {@code i}, or 0 if it is ill-formed. */
    private static int wellFormedSequenceLength(byte[] bytes, int i, int end, int lead) {
        if (lead < LOWEST_TWO_BYTE_LEAD || lead > HIGHEST_FOUR_BYTE_LEAD) {
            return 0;
        }
        if (lead < LOWEST_THREE_BYTE_LEAD) {
            return i + 1 < end && isContinuation(bytes[i + 1]) ? 2 : 0;
        }
        if (lead < LOWEST_FOUR_BYTE_LEAD) {
            if (i + 2 >= end) {
                return 0;
            }
            int second = bytes[i + 1] & BYTE_MASK;
            int lowest = lead == OVERLONG_THREE_BYTE_LEAD ? LOWEST_AFTER_OVERLONG_THREE : LOWEST_CONTINUATION;
            int highest = lead == SURROGATE_THREE_BYTE_LEAD ? HIGHEST_BEFORE_SURROGATES : HIGHEST_CONTINUATION;
            return second >= lowest && second <= highest && isContinuation(bytes[i + 2]) ? 3 : 0;
        }
        if (i + 3 >= end) {
            return 0;
        }
        int second = bytes[i + 1] & BYTE_MASK;
        int lowest = lead == OVERLONG_FOUR_BYTE_LEAD ? LOWEST_AFTER_OVERLONG_FOUR : LOWEST_CONTINUATION;
        int highest = lead == HIGHEST_FOUR_BYTE_LEAD_LIMIT ? HIGHEST_AFTER_LAST_PLANE : HIGHEST_CONTINUATION;
        return second >= lowest && second <= highest && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3])
                ? 4 : 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & CONTINUATION_MASK) == CONTINUATION_TAG;
    }
}
