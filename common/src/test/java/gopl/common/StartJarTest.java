package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartJarTest {
    private final String classPath = System.getProperty("java.class.path");

    @TempDir
    Path temp;

    @AfterEach
    void restoreClassPath() {
        System.setProperty("java.class.path", classPath);
    }

    @Test
    void readsAnEntryOfTheJarJavaWasStartedWith() throws Exception {
        var jar = temp.resolve("tool with space.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("META-INF/gopl/model/gopl-demo.properties"));
            out.write("name=gopl-demo\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        System.setProperty("java.class.path", jar.toString()); // as java -jar sets it

        assertThat(StartJar.read(StartJarTest.class, "META-INF/gopl/model/gopl-demo.properties"))
                .asString(StandardCharsets.UTF_8).isEqualTo("name=gopl-demo\n");
        assertThat(StartJar.read(StartJarTest.class, "META-INF/gopl/model/gopl-other.properties")).isNull();
    }

    @Test
    void pathIsTheJarThisRunNamesOrNone() {
        var jar = temp.resolve("lib").resolve("tool.jar");
        System.setProperty("java.class.path", jar.toString());
        assertThat(StartJar.path()).isEqualTo(jar);

        System.setProperty("java.class.path", temp.resolve("classes").toString());
        assertThat(StartJar.path()).isNull();
        System.setProperty("java.class.path", jar + File.pathSeparator + temp.resolve("other.jar"));
        assertThat(StartJar.path()).isNull();
    }

    @Test
    void onAnyOtherClassPathAsksTheClassLoader() throws Exception {
        System.setProperty("java.class.path", temp + File.pathSeparator + classPath);

        assertThat(StartJar.read(StartJarTest.class, "gopl/common/StartJarTest.class")).isNotEmpty();
        assertThat(StartJar.read(StartJarTest.class, "META-INF/gopl/model/gopl-none.properties")).isNull();
    }
}
