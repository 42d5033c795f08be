package gopl.dist;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class ModelsTest {
    static final class Converted {
        @Option(names = "--wait", converter = GoDuration.class)
        Duration wait;

        @Parameters
        List<Path> files;
    }

    static final class ByPicocli {
        @Option(names = "--wait")
        Duration wait;
    }

    static final class InAList {
        @Option(names = "--at")
        List<java.time.LocalDate> dates;
    }

    @Test
    void aModelLeavesOutTheReflectiveConvertersNoOptionNeeds() {
        assertThat(Models.excludedConverters(CommandSpec.forAnnotatedObject(new Converted())))
                .isEqualTo("java\\.time\\..*,java\\.sql\\..*");
    }

    @Test
    void aTypeThatPicocliConvertsKeepsItsPackagesConverters() {
        assertThat(Models.excludedConverters(CommandSpec.forAnnotatedObject(new ByPicocli()))).isEqualTo("java\\.sql\\..*");
        assertThat(Models.excludedConverters(CommandSpec.forAnnotatedObject(new InAList()))).isEqualTo("java\\.sql\\..*");
    }
}
