package gopl.du;

import java.nio.file.Path;
import java.util.List;

/**
 * The hostile trees every option is compared on, built with the shell (for names Java cannot
 * spell and paths longer than PATH_MAX), each with the command lines of roots it is walked from.
 */
final class Trees {
    /** A tree, and the sets of roots (paths relative to the base) to run du on. */
    record Tree(String name, List<List<String>> rootSets) {}

    static final List<Tree> ALL = List.of(
            new Tree("links", List.of(List.of("links"), List.of("links/a", "links/b"), List.of("links/b", "links/a"),
                    List.of("links/a/f", "links/b", "links/a"))),
            new Tree("sparse", List.of(List.of("sparse"), List.of("sparse/hole", "sparse/islands", "sparse"))),
            new Tree("names", List.of(List.of("names"))),
            new Tree("symlinks", List.of(List.of("symlinks"), List.of("symlinks/to-dir/", "symlinks/to-file"))),
            new Tree("deep", List.of(List.of("deep"))),
            new Tree("order", List.of(List.of("order"))),
            new Tree("overlap", List.of(List.of("overlap", "overlap/a"), List.of("overlap/a", "overlap"),
                    List.of("overlap//", "overlap/a/..", "missing", "overlap/a/f"))));

    private Trees() {}

    /** Builds every tree under {@code base}. */
    static void build(Path base) {
        Gnu.sh(base, """
                mkdir -p links/a/sub links/b/deep
                head -c 10000 /dev/zero > links/a/f
                ln links/a/f links/a/sub/link; ln links/a/f links/b/deep/link2
                i=0; while [ $i -lt 30 ]; do
                  head -c $((i * 1000)) /dev/zero > links/a/g$i
                  [ $((i % 3)) -eq 0 ] && ln links/a/g$i links/b/h$i
                  i=$((i + 1))
                done
                head -c 5000 /dev/zero > links/b/only-b; ln links/b/only-b links/b/deep/also-b

                mkdir -p sparse/empty/emptier
                truncate -s 1G sparse/hole
                dd if=/dev/zero of=sparse/islands bs=70000 count=1 seek=75 2>/dev/null
                dd if=/dev/zero of=sparse/islands bs=1 count=1 seek=104857600 conv=notrunc 2>/dev/null
                : > sparse/zero; : > sparse/empty/zero; mkfifo sparse/fifo

                mkdir names
                cd names
                mkdir -- 'with space' "$(printf 'new\\nline')" "$(printf 'bad\\377byte')" -dash "it's" 'back\\\\slash' ünïcödé
                for d in *; do printf 'content of %s' "$d" > "$d/$(printf 'tab\\tname\\001')"; done
                printf 'x%.0s' $(seq 3000) > "$(printf 'latin1-\\351t\\351')"
                mkdir "$(printf 'bad\\377byte')/$(printf 'more\\200\\201')"
                cd ..

                mkdir -p symlinks/dir/sub
                head -c 50000 /dev/zero > symlinks/dir/data; head -c 7000 /dev/zero > symlinks/file
                ln -s .. symlinks/dir/up; ln -s self symlinks/self; ln -s ping symlinks/pong; ln -s pong symlinks/ping
                ln -s nowhere/at/all symlinks/dangling; ln -s dir symlinks/to-dir; ln -s file symlinks/to-file
                ln -s ../file symlinks/dir/sub/file-again; ln -s "$(printf 'x%.0s' $(seq 1000))" symlinks/long

                mkdir deep
                (cd deep
                 for i in $(seq 450); do mkdir level-------- && cd -P level--------; done
                 head -c 9000 /dev/zero > bottom; mkdir empty; ln bottom twin)

                mkdir -p overlap/a/b/c
                head -c 3000 /dev/zero > overlap/a/f; head -c 30000 /dev/zero > overlap/a/b/g
                head -c 300000 /dev/zero > overlap/a/b/c/h
                """);
        buildOrder(base);
    }

    /**
     * Where order matters: entries created in an order unlike the one the directory lists them
     * in, hard links whose first sighting decides which directory counts them, and a directory of
     * more than 10,000 entries, which fts (and so GNU du) sorts by inode number on most file systems.
     */
    private static void buildOrder(Path base) {
        Gnu.sh(base, """
                mkdir -p order/big order/mixed
                cd order/mixed
                for n in 17 3 42 8 29 1 36 11 24 5 40 19 2 33 14 27 9 38 21 6; do
                  mkdir -p d$n/e$((n % 4)); head -c $((n * 700)) /dev/zero > f$n
                  head -c $((n * 300)) /dev/zero > d$n/g$n
                done
                ln f17 d3/link17; ln f8 d42/e2/link8; ln d36/g36 d1/link36
                cd ../big
                seq 10030 | sed 's/^/file-/' | xargs touch
                for n in 3 1 4 1 5 9 2 6; do mkdir -p sub$n; head -c $((n * 4096)) /dev/zero > sub$n/data; done
                ln ../mixed/f29 link-29; ln ../mixed/f29 zz-link; rm file-500; ln file-9000 file-500
                """);
    }
}
