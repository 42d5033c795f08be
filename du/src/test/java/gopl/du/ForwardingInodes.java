package gopl.du;

import java.io.IOException;

/** The real file system calls, for test doubles that change one of them: each call goes to {@link #real()}. */
interface ForwardingInodes extends Inodes {
    Inodes real();

    @Override
    default Status stat(byte[] path, boolean follow) {
        return real().stat(path, follow);
    }

    @Override
    default Directory open(byte[] path, boolean follow) throws IOException {
        return real().open(path, follow);
    }

    @Override
    default Directory open(Directory parent, byte[] name, boolean follow) throws IOException {
        return real().open(parent, name, follow);
    }

    @Override
    default void list(Directory directory, boolean follow, Visitor visitor) throws IOException {
        real().list(directory, follow, visitor);
    }

    @Override
    default long fileSystemType(Directory directory) {
        return real().fileSystemType(directory);
    }
}
