package gopl.common;

import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code --version}: the tool's name and the Implementation-Version of the jar it runs from. */
public final class ManifestVersion implements IVersionProvider {
    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        var version = spec.userObject().getClass().getPackage().getImplementationVersion();
        var runtime = "Java " + Runtime.version().feature();
        return new String[] {spec.name() + " " + (version == null ? "(development build)" : version) + " (" + runtime + ")"};
    }
}
