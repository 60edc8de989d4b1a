package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The outcome of {@link Connector#authenticate()} or {@link BankIntegrationPlugin#authenticate}.
 *
 * @param success whether the connector can now fetch data
 * @param message what happened, for a person: on failure, what to do about it; never contains a secret
 */
@API(status = STABLE, since = "0.1")
public record AuthenticationResult(boolean success, String message) {
    public AuthenticationResult {
        Fields.required("AuthenticationResult", "message", message);
    }

    public static AuthenticationResult success(String message) {
        return new AuthenticationResult(true, message);
    }

    public static AuthenticationResult failure(String message) {
        return new AuthenticationResult(false, message);
    }
}
