package gopl.dist;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/** The archive's {@code runtime/}: a Java runtime made by jlink with just the modules the tools use. */
final class RuntimeImage {
    /**
     * Modules no class names, added to what jdeps finds:
     * <ul>
     *   <li>{@code jdk.charsets}: the crawler and mirror decode pages in whatever charset a site
     *       declares (Shift_JIS, EUC-KR, GB18030...); java.base has only the common ones;</li>
     *   <li>{@code jdk.incubator.vector}: mandelbrot's SIMD loop, opened with --add-modules by its
     *       launcher (jdeps finds it too once the code uses it; listed so the option never fails).</li>
     * </ul>
     * TLS needs nothing more: the JSSE provider, RSA, EC and XDH key exchange and the CA
     * certificates are all in java.base since JDK 22 (jdk.crypto.ec is empty).
     */
    static final List<String> EXTRA_MODULES = List.of("jdk.charsets", "jdk.incubator.vector");

    private RuntimeImage() {}

    /** The modules the jars need (jdeps), plus {@link #EXTRA_MODULES}. */
    static List<String> modules(List<Path> jars) throws IOException {
        var args = new ArrayList<>(List.of("--multi-release", "25", "--ignore-missing-deps", "--print-module-deps"));
        jars.forEach(jar -> args.add(jar.toString()));
        var out = run("jdeps", args);
        var modules = new TreeSet<String>(EXTRA_MODULES);
        for (var module : out.strip().split(",")) {
            modules.add(module.strip());
        }
        return List.copyOf(modules);
    }

    /**
     * Links the runtime. Without the JDK's default class-data archive (--generate-cds-archive, 28
     * MB): every launcher passes its tool's AOT cache, which holds the JDK classes too, so the
     * default archive would serve only a run whose cache was stale, and that one still works.
     */
    static void link(List<String> modules, Path output) throws IOException {
        run("jlink", List.of("--add-modules", String.join(",", modules), "--output", output.toString(),
                "--strip-debug", "--no-man-pages", "--no-header-files", "--compress=zip-6"));
    }

    private static String run(String tool, List<String> args) throws IOException {
        var provider = ToolProvider.findFirst(tool).orElseThrow(() -> new IOException(tool + " is not in this JDK"));
        var out = new StringWriter();
        var err = new StringWriter();
        int status = provider.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        if (status != 0) {
            throw new IOException(tool + " failed (" + status + "): " + err + out);
        }
        return out.toString();
    }
}
