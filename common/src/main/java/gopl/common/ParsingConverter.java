package gopl.common;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A picocli converter over a parser that throws {@link IllegalArgumentException} with a message
 * for the user: the message becomes the usage error ({@code clock: '10parsecs' is not a duration}).
 */
public abstract class ParsingConverter<T> implements ITypeConverter<T> {
    @Override
    public final T convert(String text) {
        try {
            return read(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** Parses {@code text}, throwing IllegalArgumentException with a message fit for the user. */
    protected abstract T read(String text);
}
