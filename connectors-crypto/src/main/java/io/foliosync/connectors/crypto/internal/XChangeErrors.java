package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A generic XChange account's error codes: none read from bodies. Its calls go through the exchange's XChange
 * module, whose own adapters turn the exchange's codes into XChange's exception types, which {@link XChangeFailures}
 * sorts into the families; a body reaching {@link Calls} is judged by its HTTP status alone, since FolioSync documents
 * no codes of its own for these exchanges.
 */
@API(status = INTERNAL, since = "0.1")
public final class XChangeErrors implements ErrorCodes {
    @Override
    public Optional<ExchangeError> read(String body) {
        return Optional.empty();
    }
}
