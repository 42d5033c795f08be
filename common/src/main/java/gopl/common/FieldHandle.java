package gopl.common;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * A field that {@link PrebuiltModel} reads and sets, through a {@link VarHandle} rather than
 * {@code Field.get} and {@code Field.set}. Reflection's field accessors are method handles adapted
 * to {@code Object} when first used, and each adaptation makes the JVM generate a class that no
 * AOT cache holds: 9 to 16 of them in a tool's start, about 12 ms of CPU (measured with the same
 * field accesses in a small program, its AOT cache trained, 30 runs each: 42 ms of CPU by
 * reflection, 30 through a VarHandle, 29 with plain assignments). A VarHandle called with the
 * field's own erased types, as {@link #get} and {@link #set} do, links with no adaptation. A static
 * or final field, which a tool's options never are, keeps the reflective path.
 */
final class FieldHandle {
    private final Field field;
    private final VarHandle handle;

    private FieldHandle(Field field, VarHandle handle) {
        this.field = field;
        this.handle = handle;
    }

    /** The handle of an accessible field (setAccessible already called). */
    static FieldHandle of(Field field) throws IllegalAccessException {
        if ((field.getModifiers() & (Modifier.STATIC | Modifier.FINAL)) != 0) {
            return new FieldHandle(field, null);
        }
        var lookup = MethodHandles.privateLookupIn(field.getDeclaringClass(), MethodHandles.lookup());
        return new FieldHandle(field, lookup.unreflectVarHandle(field));
    }

    Object get(Object owner) throws IllegalAccessException {
        var type = field.getType();
        if (handle == null) {
            return field.get(owner);
        } else if (!type.isPrimitive()) {
            return (Object) handle.get(owner);
        } else if (type == boolean.class) {
            return (boolean) handle.get(owner);
        } else if (type == int.class) {
            return (int) handle.get(owner);
        } else if (type == long.class) {
            return (long) handle.get(owner);
        } else if (type == double.class) {
            return (double) handle.get(owner);
        }
        return field.get(owner); // float, short, byte, char: no option of ours has one
    }

    void set(Object owner, Object value) throws IllegalAccessException {
        var type = field.getType();
        if (handle == null || type.isPrimitive() && value == null) {
            field.set(owner, value); // and its IllegalArgumentException for a null primitive
        } else if (!type.isPrimitive()) {
            handle.set(owner, value);
        } else if (type == boolean.class) {
            handle.set(owner, (boolean) value);
        } else if (type == int.class) {
            handle.set(owner, (int) value);
        } else if (type == long.class) {
            handle.set(owner, (long) value);
        } else if (type == double.class) {
            handle.set(owner, (double) value);
        } else {
            field.set(owner, value);
        }
    }
}
