package io.lifeboat.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * A source's password: given in the configuration, or read from a file (a mounted Kubernetes secret), re-read when
 * the file changes, so a rotated secret is used at the next authentication without a restart. Trailing line breaks
 * are ignored. The value is never logged.
 */
public final class Password {

    private final String sourceId;
    private final String value;
    private final Path file;
    private FileTime readAt;
    private long readSize = -1;
    private String read;

    private Password(String sourceId, String value, Path file) {
        this.sourceId = sourceId;
        this.value = value;
        this.file = file;
    }

    /** The configured value (when not empty) wins over the file; neither gives no password (null). */
    public static Password of(String sourceId, Optional<String> value, Optional<Path> file) {
        Optional<String> given = value.filter(v -> !v.isEmpty());   // an environment variable that resolved to ""
        return new Password(sourceId, given.orElse(null), given.isPresent() ? null : file.orElse(null));
    }

    public static Password of(SourceConnection connection, String sourceId) {
        return of(sourceId, connection.password(), connection.passwordFile());
    }

    /** The password now: the file is read again when its modification time or size changed. */
    public synchronized String get() {
        if (file == null) {
            return value;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (read == null || !modified.equals(readAt) || size != readSize) {
                read = Files.readString(file).replaceAll("[\\r\\n]+$", "");
                readAt = modified;
                readSize = size;
            }
            return read;
        } catch (IOException e) {
            if (read != null) {
                return read;   // a secret being swapped in place: the last value read stands until the new one is there
            }
            throw CloudCallException.notSent("cannot read the password file of source " + sourceId + " (" + file
                    + "): " + e.getClass().getSimpleName(), e);
        }
    }
}
