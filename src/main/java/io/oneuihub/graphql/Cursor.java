package io.oneuihub.graphql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An opaque keyset cursor: the ordering it was issued for plus the sort-key values of one row.
 * Encoded as URL-safe base64 of unit-separator-joined strings, so it survives copy and paste.
 */
public record Cursor(String ordering, List<String> values) {

    private static final char SEPARATOR = '\u001f';
    private static final int MAX_LENGTH = 2048;

    public String encode() {
        StringBuilder text = new StringBuilder(ordering);
        for (String value : values) {
            text.append(SEPARATOR).append(value);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String argument, String token) {
        if (token.isEmpty() || token.length() > MAX_LENGTH) {
            throw invalid(argument);
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(argument);
        }
        List<String> parts = new ArrayList<>(List.of(text.split(String.valueOf(SEPARATOR), -1)));
        if (parts.size() < 2) {
            throw invalid(argument);
        }
        String ordering = parts.remove(0);
        return new Cursor(ordering, List.copyOf(parts));
    }

    static InvalidInputException invalid(String argument) {
        return new InvalidInputException(argument,
                "Invalid cursor in '" + argument + "': pass a cursor exactly as a previous page returned it.");
    }
}
