package dev.sagaplatform.simulator.store;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies a mutable entity field by field, the way JPA hands each transaction its own managed instance: changes
 * made in a transaction that rolls back must not reach the committed copy. Records and other immutable values
 * are shared as they are. Reflection rather than a copy method on every entity: the entities are the services'
 * own JPA classes, and a second hand-written copy of each would drift from them.
 */
final class EntityCopier {

    private record Shape(Constructor<?> constructor, Field[] fields) {
    }

    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

    private EntityCopier() {
    }

    @SuppressWarnings("unchecked")
    static <T> T copy(T value) {
        if (value == null || isImmutable(value.getClass())) {
            return value;
        }
        Shape shape = SHAPES.computeIfAbsent(value.getClass(), EntityCopier::shapeOf);
        try {
            Object copy = shape.constructor.newInstance();
            for (Field field : shape.fields) {
                Object fieldValue = field.get(value);
                // An element collection (a reservation's lines) is the entity's too: a copy must not share the list.
                field.set(copy, fieldValue instanceof List<?> list ? new ArrayList<>(list) : fieldValue);
            }
            return (T) copy;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + value.getClass().getName(), e);
        }
    }

    private static boolean isImmutable(Class<?> type) {
        return type.isRecord() || type.isEnum() || type == String.class || type.getName().startsWith("java.");
    }

    private static Shape shapeOf(Class<?> type) {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        field.setAccessible(true);
                        fields.add(field);
                    }
                }
            }
            return new Shape(constructor, fields.toArray(Field[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no no-arg constructor (JPA requires one too)", e);
        }
    }
}
