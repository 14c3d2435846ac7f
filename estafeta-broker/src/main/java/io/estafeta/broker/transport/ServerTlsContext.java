package io.estafeta.broker.transport;

import io.estafeta.broker.config.Secret;
import io.estafeta.broker.config.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side TLS context of one listener, built from its PEM files (or PKCS#12 keystore) with the
 * JDK's TLS provider, and
 * rebuilt when those files change so that a renewed certificate takes effect without a restart. New
 * connections take {@link #current()}; connections already open keep the context they started with.
 */
public final class ServerTlsContext {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTlsContext.class);
    private static final Pattern PKCS8_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern ENCRYPTED_PKCS8_KEY = Pattern.compile(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END ENCRYPTED PRIVATE KEY-----");
    private static final String KEY_STORE_TYPE = "PKCS12";
    private static final String CERTIFICATE_TYPE = "X.509";
    /** Proves a key belongs to a certificate: sign with one, verify with the other. */
    private static final byte[] PAIR_CHECK = "estafeta key pair check".getBytes(StandardCharsets.US_ASCII);

    private final TlsConfig config;
    private final String listener;
    private volatile SslContext current;
    /** The files' bytes at the last load attempt, so that an unchanged broken file is reported once. */
    private List<byte[]> lastSeen;

    private ServerTlsContext(TlsConfig config, String listener, SslContext first, List<byte[]> seen) {
        this.config = config;
        this.listener = listener;
        this.current = first;
        this.lastSeen = seen;
    }

    /**
     * Loads the listener's certificate, key and CA file.
     *
     * @throws IOException if a file cannot be read or holds no usable certificate or key
     */
    public static ServerTlsContext load(TlsConfig config, String listener) throws IOException {
        List<byte[]> files = read(config);
        return new ServerTlsContext(config, listener, build(config, files), files);
    }

    public SslContext current() {
        return current;
    }

    /**
     * Rebuilds the context if a file changed since the last look. A file that cannot be used is a warning
     * and the previous context stays in use. Runs on one event loop at a time (never concurrently).
     */
    void reloadIfChanged() {
        List<byte[]> files;
        try {
            files = read(config);
        } catch (IOException e) {
            // Possibly mid-replacement; looked at again on the next check.
            LOG.debug("listener {}: cannot read TLS files: {}", listener, e.getMessage());
            return;
        }
        if (sameContents(files, lastSeen)) {
            return;
        }
        lastSeen = files;
        try {
            current = build(config, files);
            LOG.info("listener {}: loaded the changed certificate {}", listener,
                    config.keyStore() != null ? config.keyStore() : config.certFile());
        } catch (IOException e) {
            LOG.warn("listener {}: cannot use the changed TLS files, keeping the previous certificate: {}",
                    listener, e.getMessage());
        }
    }

    private static List<byte[]> read(TlsConfig config) throws IOException {
        List<byte[]> files = new ArrayList<>();
        if (config.keyStore() != null) {
            // Read twice, so that indexes match the PEM case: [identity, identity, ca].
            byte[] store = Files.readAllBytes(config.keyStore());
            files.add(store);
            files.add(store);
        } else {
            files.add(Files.readAllBytes(config.certFile()));
            files.add(Files.readAllBytes(config.keyFile()));
        }
        if (config.caFile() != null) {
            files.add(Files.readAllBytes(config.caFile()));
        }
        return files;
    }

    private static boolean sameContents(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static SslContext build(TlsConfig config, List<byte[]> files) throws IOException {
        try {
            X509Certificate[] chain;
            PrivateKey key;
            if (config.keyStore() != null) {
                KeyStore.PrivateKeyEntry entry = keyStoreEntry(files.get(0), config);
                chain = Arrays.stream(entry.getCertificateChain()).map(X509Certificate.class::cast)
                        .toArray(X509Certificate[]::new);
                key = entry.getPrivateKey();
            } else {
                chain = certificates(files.get(0), config.certFile());
                key = privateKey(files.get(1), config, chain[0]);
            }
            SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                    .sslProvider(SslProvider.JDK)
                    .protocols(config.protocols());
            List<String> ciphers = ciphers(config);
            if (!ciphers.isEmpty()) {
                builder.ciphers(ciphers);
            }
            if (config.requireCertificate()) {
                builder.trustManager(certificates(files.get(2), config.caFile())).clientAuth(ClientAuth.REQUIRE);
            } else {
                // Mosquitto asks for no client certificate unless require_certificate is true.
                builder.clientAuth(ClientAuth.NONE);
            }
            return builder.build();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static X509Certificate[] certificates(byte[] pem, Path file) throws GeneralSecurityException,
            IOException {
        X509Certificate[] certificates = CertificateFactory.getInstance(CERTIFICATE_TYPE)
                .generateCertificates(new ByteArrayInputStream(pem)).stream()
                .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        if (certificates.length == 0) {
            throw new IOException(file + " holds no PEM certificate");
        }
        return certificates;
    }

    /**
     * A PKCS#8 key that belongs to {@code certificate}: unencrypted ({@code BEGIN PRIVATE KEY}), or encrypted
     * ({@code BEGIN ENCRYPTED PRIVATE KEY}, as {@code openssl pkcs8 -topk8} writes by default) with
     * {@code keyfile_password}.
     */
    private static PrivateKey privateKey(byte[] pem, TlsConfig config, X509Certificate certificate)
            throws GeneralSecurityException, IOException {
        Path file = config.keyFile();
        String text = new String(pem, StandardCharsets.US_ASCII);
        Matcher plain = PKCS8_KEY.matcher(text);
        Matcher encrypted = ENCRYPTED_PKCS8_KEY.matcher(text);
        PKCS8EncodedKeySpec spec;
        if (plain.find()) {
            spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(plain.group(1)));
        } else if (encrypted.find()) {
            if (config.keyPassword() == null) {
                throw new IOException(file + " holds an encrypted key: give its password with keyfile_password");
            }
            spec = decrypt(Base64.getMimeDecoder().decode(encrypted.group(1)), config.keyPassword(), file);
        } else {
            throw new IOException(file + " holds no PKCS#8 key (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY);"
                    + " convert it with: openssl pkcs8 -topk8");
        }
        String algorithm = certificate.getPublicKey().getAlgorithm();
        PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
        if (!belongTogether(key, certificate)) {
            throw new IOException(file + " is not the key of the certificate " + certificate.getSubjectX500Principal());
        }
        return key;
    }

    /** PKCS#8 EncryptedPrivateKeyInfo: PBES2 (OpenSSL's default) and the JDK's other PBE schemes. */
    private static PKCS8EncodedKeySpec decrypt(byte[] der, Secret password, Path file) throws IOException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            SecretKey secret = SecretKeyFactory.getInstance(info.getAlgName())
                    .generateSecret(new PBEKeySpec(password.reveal()));
            return info.getKeySpec(secret);
        } catch (InvalidKeyException e) {
            throw new IOException(file + ": keyfile_password does not decrypt the key", e);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": cannot decrypt the key (" + e.getMessage() + ")", e);
        }
    }

    /** The one key entry of a PKCS#12 file, opened with {@code keystore_password}. */
    private static KeyStore.PrivateKeyEntry keyStoreEntry(byte[] store, TlsConfig config)
            throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance(KEY_STORE_TYPE);
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(config.keyPassword().reveal());
        try {
            keyStore.load(new ByteArrayInputStream(store), protection.getPassword());
        } catch (IOException e) {
            // The JDK reports a wrong password as an IOException whose cause is an UnrecoverableKeyException.
            throw new IOException(config.keyStore() + ": not a PKCS#12 file, or keystore_password is wrong ("
                    + e.getMessage() + ")", e);
        }
        List<KeyStore.PrivateKeyEntry> entries = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)
                    && keyStore.getEntry(alias, protection) instanceof KeyStore.PrivateKeyEntry entry) {
                entries.add(entry);
            }
        }
        if (entries.size() != 1) {
            throw new IOException(config.keyStore() + " holds " + entries.size()
                    + " private keys; the listener needs exactly one");
        }
        return entries.getFirst();
    }

    /**
     * While a renewed pair is being copied in, the certificate and the key may briefly not match; such a
     * pair would fail every handshake, so it is refused here.
     */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate)
            throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(PAIR_CHECK);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(PAIR_CHECK);
        return verifier.verify(signature);
    }

    /**
     * The suites offered: the configured TLS 1.2 ({@code ciphers}) and TLS 1.3 ({@code ciphers_tls1.3})
     * lists, each falling back to the JDK's defaults for its version, so that setting one does not switch
     * the other version off. Empty: the JDK's defaults for both.
     */
    private static List<String> ciphers(TlsConfig config) throws GeneralSecurityException {
        if (config.ciphers().isEmpty() && config.ciphersTls13().isEmpty()) {
            return List.of();
        }
        List<String> defaults = List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        List<String> suites = new ArrayList<>(config.ciphersTls13().isEmpty()
                ? defaults.stream().filter(ServerTlsContext::isTls13Suite).toList() : config.ciphersTls13());
        suites.addAll(config.ciphers().isEmpty()
                ? defaults.stream().filter(suite -> !isTls13Suite(suite)).toList() : config.ciphers());
        return suites;
    }

    /** TLS 1.3 suite names name no key exchange ("TLS_AES_128_GCM_SHA256"); older ones do ("..._WITH_..."). */
    private static boolean isTls13Suite(String name) {
        return !name.contains("_WITH_");
    }
}
