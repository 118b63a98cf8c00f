package io.lifeboat.cloud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordTest {

    @Test
    void aRotatedSecretFileIsReadAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ovirt-1");
        Files.writeString(file, "first\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Password p = Password.of("ovirt-1", Optional.empty(), Optional.of(file));
        assertThat(p.get()).isEqualTo("first");
        Files.writeString(file, "second\r\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        assertThat(p.get()).isEqualTo("second");
    }

    @Test
    void aValueWinsOverTheFileAndAMissingFileNamesTheSourceNotTheSecret(@TempDir Path dir) {
        assertThat(Password.of("s", Optional.of("given"), Optional.of(dir.resolve("x"))).get()).isEqualTo("given");
        assertThat(Password.of("s", Optional.empty(), Optional.empty()).get()).isNull();
        assertThatThrownBy(() -> Password.of("os-2", Optional.empty(), Optional.of(dir.resolve("missing"))).get())
                .isInstanceOf(CloudCallException.class).hasMessageContaining("source os-2");
    }
}
