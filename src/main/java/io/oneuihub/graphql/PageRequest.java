package io.oneuihub.graphql;

/**
 * Validated Relay paging arguments: forwards ({@code first}/{@code after}) or backwards
 * ({@code last}/{@code before}), never a mix.
 */
public record PageRequest(int size, Cursor cursor, boolean backward) {

    public static PageRequest of(Integer first, String after, Integer last, String before, PagingLimits limits) {
        boolean backward = last != null || before != null;
        if (backward && (first != null || after != null)) {
            throw new InvalidInputException(first != null ? "first" : "after",
                    "Page forwards with first/after or backwards with last/before, not both.");
        }
        Integer requested = backward ? last : first;
        String argument = backward ? "last" : "first";
        int size = requested == null ? limits.defaultPageSize() : requested;
        if (size < 0 || size > limits.maxPageSize()) {
            throw new InvalidInputException(argument,
                    argument + " must be between 0 and " + limits.maxPageSize() + ", got " + size + ".");
        }
        String token = backward ? before : after;
        Cursor cursor = token == null ? null : Cursor.decode(backward ? "before" : "after", token);
        return new PageRequest(size, cursor, backward);
    }
}
