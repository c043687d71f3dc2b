package io.oneuihub.dev.litellm;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** LiteLLM's budget_duration grammar and its first-reset computation (API.md §3.9). */
final class Durations {

    // LiteLLM only looks at leading digits + unit, so "1hr" reads as 1h; uppercase units are not understood
    private static final Pattern GRAMMAR = Pattern.compile("^(\\d+)(mo|s|m|h|d|w)");

    private Durations() {
    }

    static boolean valid(String duration) {
        return duration != null && GRAMMAR.matcher(duration).find();
    }

    /** "2mo", "12mo": LiteLLM's /budget/new only handles one month (API.md §3.9). */
    static boolean monthsOtherThanOne(String duration) {
        Matcher m = GRAMMAR.matcher(duration);
        return m.find() && "mo".equals(m.group(2)) && Long.parseLong(m.group(1)) != 1;
    }

    static OffsetDateTime firstReset(String duration, OffsetDateTime now, ShapeMode mode) {
        Matcher m = GRAMMAR.matcher(duration);
        if (!m.find()) {
            throw new IllegalArgumentException("Invalid duration format");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        if (mode == ShapeMode.MID) {
            return switch (unit) {
                case "s" -> now.plusSeconds(n);
                case "m" -> now.plusMinutes(n);
                case "h" -> now.plusHours(n);
                case "d" -> now.plusDays(n);
                case "w" -> now.plusWeeks(n);
                default -> now.plusMonths(n);
            };
        }
        OffsetDateTime midnight = now.truncatedTo(ChronoUnit.DAYS);
        return switch (unit) {
            case "mo" -> firstOfNextMonth(midnight);
            case "w" -> nextMonday(midnight);
            case "d" -> n == 1 ? midnight.plusDays(1) : n == 7 ? nextMonday(midnight) : n == 30 ? firstOfNextMonth(midnight)
                    : midnight.plusDays(n);
            case "h" -> n == 24 ? midnight.plusDays(1) : nextBoundary(now, Duration.ofHours(n));
            case "m" -> nextBoundary(now, Duration.ofMinutes(n));
            default -> nextBoundary(now, Duration.ofSeconds(n));
        };
    }

    private static OffsetDateTime firstOfNextMonth(OffsetDateTime midnight) {
        return midnight.with(TemporalAdjusters.firstDayOfNextMonth());
    }

    private static OffsetDateTime nextMonday(OffsetDateTime midnight) {
        return midnight.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
    }

    private static OffsetDateTime nextBoundary(OffsetDateTime now, Duration step) {
        long stepSeconds = Math.max(1, step.getSeconds());
        long epoch = now.toEpochSecond();
        long next = (epoch / stepSeconds + 1) * stepSeconds;
        return OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(next), now.getOffset());
    }
}
