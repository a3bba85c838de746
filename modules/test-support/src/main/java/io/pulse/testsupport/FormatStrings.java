package io.pulse.testsupport;

import java.util.Collection;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;

/**
 * Checks texts that a library will pass to {@code String.format}, such as picocli's help texts (its documented contract:
 * a literal percent sign is written {@code %%}; a bare {@code %} before a letter, "50 % and", is a format error that
 * picocli reports as a warning on every {@code --help} before printing the raw text).
 */
public final class FormatStrings {

    private FormatStrings() {
    }

    /** The texts of {@code texts} that {@code String.format} refuses without arguments, in their order. */
    public static List<String> invalid(Collection<String> texts) {
        return texts.stream().filter(FormatStrings::isInvalid).toList();
    }

    private static boolean isInvalid(String text) {
        try {
            String.format(Locale.ROOT, text);
            return false;
        } catch (IllegalFormatException e) {
            return true;
        }
    }
}
