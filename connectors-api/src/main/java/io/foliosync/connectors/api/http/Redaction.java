package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;
import org.apiguardian.api.API;

/**
 * Decides which header, query and form names carry secrets, and masks their values. Errs on the side of
 * masking: a masked harmless value costs a little debugging, a logged key costs an account.
 */
@API(status = INTERNAL, since = "0.1")
public final class Redaction {
    /** What a secret is replaced with. */
    public static final String MASK = "[REDACTED]";

    private static final Set<String> FRAGMENTS = Set.of("key", "secret", "token", "sign", "passphrase",
            "password", "passwd", "auth", "cookie", "session", "credential", "assertion", "bearer");
    private static final Set<String> EXACT = Set.of("code", "otp", "pin", "nonce_signature", "sig", "hmac");

    private Redaction() {
    }

    /** @return whether a header, query parameter or form field of this name holds a secret */
    public static boolean isSensitive(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (EXACT.contains(n)) {
            return true;
        }
        for (String fragment : FRAGMENTS) {
            if (n.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** @return the URL with every sensitive query value masked and any user info removed */
    public static String redact(HttpUrl url) {
        HttpUrl.Builder b = url.newBuilder().username("").password("");
        for (String name : url.queryParameterNames()) {
            if (isSensitive(name)) {
                b.setQueryParameter(name, MASK);
            }
        }
        return b.build().toString();
    }

    /** @return the value, or the mask when the name is sensitive */
    public static String redact(String name, String value) {
        return isSensitive(name) ? MASK : value;
    }
}
