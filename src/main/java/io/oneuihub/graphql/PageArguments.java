package io.oneuihub.graphql;

/** Relay paging arguments as the caller sent them, validated later by {@link PageRequest#of}. */
public record PageArguments(Integer first, String after, Integer last, String before) {

    public PageRequest resolve(PagingLimits limits) {
        return PageRequest.of(first, after, last, before, limits);
    }
}
