package io.foliosync.connectors.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Request signatures of the endpoints FolioSync reads itself. */
final class Signing {
    private Signing() {
    }

    /**
     * Kraken: {@code API-Sign = base64(HMAC-SHA512(base64decode(secret), uriPath + SHA256(nonce + postData)))}.
     */
    static String kraken(String uriPath, String nonce, String postData, byte[] decodedSecret) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256")
                    .digest((nonce + postData).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(decodedSecret, "HmacSHA512"));
            mac.update(uriPath.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(sha));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 and SHA-256 are required by every JDK", e);
        }
    }

    /** OKX: {@code OK-ACCESS-SIGN = base64(HMAC-SHA256(secret, timestamp + method + requestPath + body))}. */
    static String okx(String timestamp, String method, String requestPathWithQuery, String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(
                    (timestamp + method + requestPathWithQuery + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }

    /** Binance: {@code signature = hex(HMAC-SHA256(secret, queryString))}, the query holding timestamp and recvWindow. */
    static String binance(String query, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(query.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }

    /**
     * Gate.io v4: {@code SIGN = hex(HMAC-SHA512(secret, method\npath\nquery\nhex(SHA512(body))\ntimestamp))}, the
     * path including {@code /api/v4} and the query as sent (empty when none).
     */
    static String gateio(String method, String path, String query, String body, String timestamp, String secret) {
        try {
            String bodyHash = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            String text = method + "\n" + path + "\n" + query + "\n" + bodyHash + "\n" + timestamp;
            return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 and SHA-512 are required by every JDK", e);
        }
    }

    /**
     * HTX (Huobi) signature version 2: {@code base64(HMAC-SHA256(secret, method\nhost\npath\nsortedEncodedQuery))},
     * the query holding {@code AccessKeyId}, {@code SignatureMethod}, {@code SignatureVersion} and {@code Timestamp}
     * besides the request's own parameters, sorted by name and URL-encoded.
     */
    static String htx(String method, String host, String path, String sortedEncodedQuery, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String text = method + "\n" + host + "\n" + path + "\n" + sortedEncodedQuery;
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }
}
