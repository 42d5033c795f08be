package gopl.ftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local user racing the server: swaps {@code path} (a file or a directory) for a symbolic link
 * to {@code outside} and back, as fast as renames go, until closed, which puts the real one back.
 * Every step is one atomic rename. A file is replaced by the link and the link by the file (a new
 * hard link to it) in one rename each, so the path is always one or the other; a directory cannot
 * be renamed over a link, so it steps aside first and the path is briefly absent.
 */
final class Swapper implements AutoCloseable {
    private final Path path;
    private final Path stash;
    private final Path link;
    private final boolean directory;
    private final Thread thread;
    private final AtomicLong swaps = new AtomicLong();
    private volatile boolean stopped;
    private final Path outside;
    private int step; // 0: real in place, and on: see step()

    Swapper(Path path, Path outside) throws IOException {
        this.path = path;
        this.outside = outside;
        this.stash = path.resolveSibling(path.getFileName() + ".real");
        this.link = path.resolveSibling(path.getFileName() + ".link");
        this.directory = Files.isDirectory(path);
        if (directory) {
            Files.createSymbolicLink(link, outside);
        } else {
            Files.createLink(stash, path); // the real file under a second name, to put back
        }
        thread = Thread.ofPlatform().daemon().name("swapper").start(this::run);
    }

    private void run() {
        while (!stopped) {
            step();
        }
    }

    /** Takes the next step; a step that failed (the server held a name a moment) is taken again next time. */
    private void step() {
        try {
            if (directory) {
                switch (step) {
                    case 0 -> Files.move(path, stash, StandardCopyOption.ATOMIC_MOVE); // 1: real aside
                    case 1 -> Files.move(link, path, StandardCopyOption.ATOMIC_MOVE); // 2: link in place
                    case 2 -> Files.move(path, link, StandardCopyOption.ATOMIC_MOVE); // 3: link aside
                    default -> Files.move(stash, path, StandardCopyOption.ATOMIC_MOVE); // 0: real in place
                }
                step = (step + 1) % 4;
            } else {
                var next = path.resolveSibling(path.getFileName() + ".next");
                Files.deleteIfExists(next);
                if (step == 0) {
                    Files.createSymbolicLink(next, outside);
                } else {
                    Files.createLink(next, stash);
                }
                Files.move(next, path, StandardCopyOption.ATOMIC_MOVE); // replaces the file or the link in one go
                step = 1 - step; // 0: real in place; 1: link in place
            }
            if (step == 0) {
                swaps.incrementAndGet();
            }
        } catch (IOException e) {
            // try the same step again
        }
    }

    /** Whole swaps back and forth so far. */
    long swaps() {
        return swaps.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(Duration.ofSeconds(10));
        for (int i = 0; i < 1000 && step != 0; i++) {
            step(); // the real one back in place
        }
    }
}
