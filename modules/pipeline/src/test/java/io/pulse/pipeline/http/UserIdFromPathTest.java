package io.pulse.pipeline.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserIdFromPathTest {

    @Test
    void shouldDecodePercentEscapesAndKeepPlusSigns() {
        assertThat(PulseHttpServer.userIdFromPath("/users/bob+x%40ex.com", "/users/", "")).isEqualTo("bob+x@ex.com");
        assertThat(PulseHttpServer.userIdFromPath("/users/%C3%BC-Zo%C3%AB", "/users/", "")).isEqualTo("ü-Zoë");
        assertThat(PulseHttpServer.userIdFromPath("/api/users/u%201/timeline", "/api/users/", "/timeline"))
                .isEqualTo("u 1");
    }

    @Test
    void shouldRefuseMissingMalformedAndControlCharacterIds() {
        assertThat(PulseHttpServer.userIdFromPath("/users/", "/users/", "")).isNull();
        assertThat(PulseHttpServer.userIdFromPath("/users/%zz", "/users/", "")).isNull();
        assertThat(PulseHttpServer.userIdFromPath("/users/%00pulse.event-clock", "/users/", "")).isNull();
    }
}
