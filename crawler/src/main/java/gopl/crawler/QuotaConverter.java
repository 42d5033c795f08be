package gopl.crawler;

import gopl.common.ByteSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A download quota for {@code --quota}: a size ({@code 500M}, {@code 2G}), or {@code inf} or 0 for none, as wget's -Q. */
public final class QuotaConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
        if (text.equalsIgnoreCase("inf") || text.strip().equals("0")) {
            return Long.MAX_VALUE;
        }
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + text + "' is not a quota (examples: 500M, 2G, inf)");
        }
    }
}
