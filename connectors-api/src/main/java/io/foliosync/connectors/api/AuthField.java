package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One credential or setting a bank plugin asks its user for.
 *
 * @param name        the key in the credentials map, such as {@code statement_dir}
 * @param label       the label a form shows
 * @param secret      whether it is a secret (stored encrypted, masked on screen)
 * @param required    whether authentication fails without it
 * @param description help text for the user
 * @param defaultValue the value used when the user gives none
 */
@API(status = STABLE, since = "0.1")
public record AuthField(String name, String label, boolean secret, boolean required, String description,
                        Optional<String> defaultValue) {
    public AuthField {
        Fields.requiredText("AuthField", "name", name);
        Fields.requiredText("AuthField", "label", label);
        Fields.required("AuthField", "description", description);
        Fields.optional("AuthField", "defaultValue", defaultValue);
    }
}
