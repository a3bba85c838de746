package io.pulse.pipeline.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Guards every HTTP request that can change state: anything but {@code GET} and {@code HEAD} must carry
 * {@code Authorization: Bearer <http.admin.token>}. Missing or wrong: {@code 401} with {@code WWW-Authenticate:
 * Bearer}. No token configured: {@code 403} (secure by default: an instance nobody gave a token changes nothing
 * over HTTP). Reads stay open.
 *
 * <p>The comparison is in constant time: both sides are hashed with SHA-256 first (so neither the length nor a
 * common prefix shows in the timing) and compared with {@link MessageDigest#isEqual}. The token never appears in a
 * response or a log line.
 */
public final class AdminGuard extends Filter {

    static final String REALM = "Bearer realm=\"pulse\"";
    private static final String BEARER = "bearer ";

    private final byte[] expectedHash;

    private AdminGuard(byte[] expectedHash) {
        this.expectedHash = expectedHash;
    }

    /** Requires {@code token} (if present) on state-changing requests; refuses them all if it is empty. */
    public static AdminGuard of(Optional<String> token) {
        return new AdminGuard(token.filter(t -> !t.isEmpty()).map(AdminGuard::sha256).orElse(null));
    }

    /** Refuses every state-changing request (no token configured). */
    public static AdminGuard refuseAll() {
        return new AdminGuard(null);
    }

    static boolean changesState(String method) {
        return !"GET".equals(method) && !"HEAD".equals(method);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (!changesState(exchange.getRequestMethod())) {
            chain.doFilter(exchange);
            return;
        }
        Verdict verdict = check(exchange.getRequestHeaders().getFirst("Authorization"));
        if (verdict == Verdict.ALLOWED) {
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            switch (verdict) {
                case NOT_CONFIGURED -> PulseHttpServer.respondError(exchange, 403, "state-changing requests are"
                        + " disabled on this instance: set PULSE_HTTP_ADMIN_TOKEN (http.admin.token) to enable them,"
                        + " then send Authorization: Bearer <token>");
                case MISSING -> {
                    exchange.getResponseHeaders().add("WWW-Authenticate", REALM);
                    PulseHttpServer.respondError(exchange, 401, exchange.getRequestMethod() + " needs"
                            + " Authorization: Bearer <the instance's admin token>");
                }
                default -> {
                    exchange.getResponseHeaders().add("WWW-Authenticate", REALM + ", error=\"invalid_token\"");
                    PulseHttpServer.respondError(exchange, 401, "the bearer token is not this instance's admin"
                            + " token");
                }
            }
        }
    }

    /** The outcome of checking an Authorization header value (null if absent). */
    enum Verdict { ALLOWED, NOT_CONFIGURED, MISSING, WRONG }

    Verdict check(String authorization) {
        if (expectedHash == null) {
            return Verdict.NOT_CONFIGURED;
        }
        if (authorization == null || authorization.length() < BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Verdict.MISSING;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        return MessageDigest.isEqual(presented, expectedHash) ? Verdict.ALLOWED : Verdict.WRONG;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String description() {
        return "requires the admin bearer token on requests other than GET and HEAD";
    }
}
