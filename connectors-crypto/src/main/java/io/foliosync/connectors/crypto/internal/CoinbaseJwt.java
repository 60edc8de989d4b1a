package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Coinbase Developer Platform (CDP) API keys: every request carries {@code Authorization: Bearer <JWT>}, a JWT
 * signed with ES256 (ECDSA P-256, SHA-256) by the key's EC private key, valid for 2 minutes and bound to one
 * request ({@code uri = "GET api.coinbase.com/api/v3/brokerage/accounts"}). Done with the JDK alone: the PEM
 * key ({@code BEGIN EC PRIVATE KEY}, SEC1, as Coinbase shows it; or PKCS#8 {@code BEGIN PRIVATE KEY}) is read
 * with {@link KeyFactory} and signed with {@code SHA256withECDSAinP1363Format} (the raw r‖s JWS wants).
 */
final class CoinbaseJwt {
    /** DER of the PKCS#8 algorithm identifier for an EC key on prime256v1 (OIDs 1.2.840.10045.2.1, 1.2.840.10045.3.1.7). */
    private static final byte[] EC_P256_ALGORITHM = HexFormat.of().parseHex(
            "301306072a8648ce3d020106082a8648ce3d030107");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final String keyName;
    private final PrivateKey key;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param keyName the key's name, {@code organizations/<org>/apiKeys/<id>}
     * @param pem     the EC private key; literal {@code \n} sequences (as in a one-line environment variable)
     *                are accepted
     * @throws ConfigurationException naming {@code source}'s {@code api_secret}, never its value
     */
    CoinbaseJwt(String source, String keyName, String pem) {
        this.keyName = keyName;
        this.key = parse(source, pem);
    }

    /** @return a JWT for one request: {@code method} and {@code hostAndPath} such as {@code api.coinbase.com/v2/...} */
    String token(String method, String hostAndPath, Instant now) {
        String header = "{\"alg\":\"ES256\",\"kid\":" + quote(keyName) + ",\"nonce\":\""
                + HexFormat.of().formatHex(nonce()) + "\",\"typ\":\"JWT\"}";
        long t = now.getEpochSecond();
        String payload = "{\"sub\":" + quote(keyName) + ",\"iss\":\"cdp\",\"nbf\":" + t + ",\"exp\":" + (t + 120)
                + ",\"uri\":" + quote(method + " " + hostAndPath) + "}";
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initSign(key);
            es256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(es256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 (SHA256withECDSAinP1363Format) is in every JDK since 9", e);
        }
    }

    private byte[] nonce() {
        byte[] n = new byte[16];
        random.nextBytes(n);
        return n;
    }

    private static PrivateKey parse(String source, String pem) {
        String text = pem.replace("\\n", "\n").trim();
        boolean sec1 = text.contains("BEGIN EC PRIVATE KEY");
        if (!sec1 && !text.contains("BEGIN PRIVATE KEY")) {
            throw new ConfigurationException(source, "crypto_exchanges." + source + ".api_secret: not a PEM EC "
                    + "private key; Coinbase: create a CDP API key with the ECDSA signature algorithm and copy its "
                    + "privateKey (-----BEGIN EC PRIVATE KEY----- ...) whole");
        }
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            byte[] pkcs8 = sec1 ? wrapSec1(der) : der;
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ConfigurationException(source, "crypto_exchanges." + source + ".api_secret: the PEM key "
                    + "cannot be read as an EC P-256 private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** PKCS#8 {@code SEQUENCE { INTEGER 0, AlgorithmIdentifier(EC, P-256), OCTET STRING { SEC1 key } }}. */
    static byte[] wrapSec1(byte[] sec1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
        inner.writeBytes(EC_P256_ALGORITHM);
        inner.write(0x04);
        writeLength(inner, sec1.length);
        inner.writeBytes(sec1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, inner.size());
        out.writeBytes(inner.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
