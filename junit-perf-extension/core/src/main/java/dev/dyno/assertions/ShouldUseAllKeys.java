package dev.dyno.assertions;

import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;

/** Some declared keys of a distribution got nothing. */
final class ShouldUseAllKeys extends BasicErrorMessageFactory {

    static ShouldUseAllKeys shouldUseAllKeys(String name, List<String> unused) {
        return new ShouldUseAllKeys(name, unused);
    }

    private ShouldUseAllKeys(String name, List<String> unused) {
        super("%nExpecting every key of distribution '%s' to have a count above zero but these had none:%n  %s",
                name, unused);
    }
}
