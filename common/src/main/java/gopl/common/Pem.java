package gopl.common;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * PEM files as openssl and certbot write them: certificate chains, and unencrypted private keys
 * in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY})
 * form. The JDK reads only DER PKCS#8 keys in its stable API (JEP 470's PEM support is a preview
 * in 25), so the two traditional forms are wrapped into PKCS#8 here. Every failure is a
 * {@link ToolException} naming the file and what is wrong with it.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** Files larger than this are not PEM certificates or keys: do not read a disk image by mistake. */
    private static final long MAX_SIZE = 1 << 20;
    // DER of the algorithm identifiers a PKCS#8 wrapper needs.
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");

    private Pem() {}

    /** The certificates in a PEM file, the server's own first and then its chain, as certbot's fullchain.pem. */
    public static List<X509Certificate> readCertificates(Path file) {
        var text = read(file, "certificate");
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new ToolException(file + " has no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            var factory = CertificateFactory.getInstance("X.509");
            var certificates = factory.generateCertificates(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
            return certificates.stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new ToolException(file + " has a damaged certificate: " + e.getMessage(), e);
        }
    }

    /** The first private key in a PEM file (a file holding the chain as well is fine). */
    public static PrivateKey readPrivateKey(Path file) {
        var matcher = BLOCK.matcher(read(file, "private key"));
        while (matcher.find()) {
            var type = matcher.group(1);
            if (type.equals("ENCRYPTED PRIVATE KEY") || matcher.group(2).contains("ENCRYPTED")) {
                throw new ToolException(file + " is an encrypted key, which is not supported; write it"
                        + " unencrypted with: openssl pkey -in " + file + " -out key.pem");
            }
            if (type.endsWith("PRIVATE KEY")) {
                return decodeKey(file, type, base64(file, matcher.group(2)));
            }
        }
        throw new ToolException(file + " has no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey decodeKey(Path file, String type, byte[] der) {
        var pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, der);
            case "EC PRIVATE KEY" -> pkcs8(sequence(EC_PUBLIC_KEY_OID, curveOf(file, der)), der);
            default -> throw new ToolException(file + ": " + type + " keys are not supported; convert the key"
                    + " to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        };
        for (var algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (InvalidKeySpecException | IllegalArgumentException e) {
                // Not this algorithm's key: try the next.
            } catch (GeneralSecurityException e) {
                throw new ToolException(file + ": " + e.getMessage(), e);
            }
        }
        throw new ToolException(file + " has a private key of an unknown kind or a damaged one");
    }

    /** PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key));
    }

    /**
     * The named curve of a SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING, [0] OID, [1] ... }.
     * openssl always writes the [0] parameters.
     */
    private static byte[] curveOf(Path file, byte[] sec1) {
        var key = new Der(sec1, file).enter(0x30);
        key.skip(0x02);
        key.skip(0x04);
        var parameters = key.enter(0xa0);
        return parameters.whole(0x06);
    }

    private static String read(Path file, String what) {
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw new ToolException(file + " is too large to be a PEM " + what);
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ToolException("cannot read " + what + " " + file + ": no such file", e);
        } catch (IOException e) {
            throw new ToolException("cannot read " + what + " " + file + ": " + Cli.describe(e), e);
        }
    }

    private static byte[] base64(Path file, String body) {
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new ToolException(file + " has damaged base64 in its key: " + e.getMessage(), e);
        }
    }

    private static byte[] sequence(byte[]... parts) {
        var body = new ByteArrayOutputStream();
        for (var part : parts) {
            body.writeBytes(part);
        }
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        var out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    /** Just enough of a DER reader to walk a SEC1 key: elements in order, entering constructed ones. */
    private static final class Der {
        private final byte[] bytes;
        private final Path file;
        private int position;
        private final int end;

        Der(byte[] bytes, Path file) {
            this(bytes, file, 0, bytes.length);
        }

        private Der(byte[] bytes, Path file, int start, int end) {
            this.bytes = bytes;
            this.file = file;
            this.position = start;
            this.end = end;
        }

        /** The next element, which must have this tag, as a reader of its contents. */
        Der enter(int tag) {
            int[] header = header(tag);
            position = header[1] + header[2];
            return new Der(bytes, file, header[1], header[1] + header[2]);
        }

        void skip(int tag) {
            enter(tag);
        }

        /** The next element, tag and length included. */
        byte[] whole(int tag) {
            int start = position;
            enter(tag);
            return Arrays.copyOfRange(bytes, start, position);
        }

        /** {tag, start of contents, length of contents}. */
        private int[] header(int tag) {
            if (position + 2 > end || (bytes[position] & 0xff) != tag) {
                throw damaged();
            }
            int length = bytes[position + 1] & 0xff;
            int at = position + 2;
            if (length >= 0x80) {
                int count = length & 0x7f;
                if (count > 3 || at + count > end) {
                    throw damaged();
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[at++] & 0xff);
                }
            }
            if (at + length > end) {
                throw damaged();
            }
            return new int[] {tag, at, length};
        }

        private ToolException damaged() {
            return new ToolException(file + " has a damaged EC PRIVATE KEY (no named curve in it)");
        }
    }
}
