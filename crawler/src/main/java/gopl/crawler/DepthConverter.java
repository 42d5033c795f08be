package gopl.crawler;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A crawl depth for {@code -depth}: a number from 0, or {@code inf} for no limit (wget's spelling). */
public final class DepthConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
        if (text.equalsIgnoreCase("inf") || text.equalsIgnoreCase("infinite")) {
            return Crawler.UNLIMITED;
        }
        try {
            int depth = Integer.parseInt(text);
            if (depth >= 0) {
                return depth;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new TypeConversionException("'" + text + "' is not a depth (0, 1, 2, ... or inf)");
    }
}
