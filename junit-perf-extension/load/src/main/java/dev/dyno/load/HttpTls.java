package dev.dyno.load;

import dev.dyno.config.DynoConfiguration;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of HTTPS load: whom to trust (the JDK's trust store, or a trust store and PEM CA
 * certificates from the configuration), what certificate to present (mutual TLS), and whether to
 * check nothing at all ({@code insecure}). Loaded before anything is sent, so a bad file or
 * password fails the test up front, naming the key.
 *
 * @param context     the context every connection's engine comes from
 * @param insecure    whether certificates and host names go unchecked
 * @param description what is trusted and presented, for the report (never a password)
 */
record HttpTls(SSLContext context, boolean insecure, String description) {

    /** TLS 1.3 and 1.2: what {@code https} load negotiates. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    static HttpTls of(DynoConfiguration configuration, boolean insecureAttribute) {
        boolean insecure = insecureAttribute || configuration.loadTlsInsecure();
        TrustManager[] trustManagers = null; // the JDK's
        KeyManager[] keyManagers = null;
        List<String> parts = new ArrayList<>();
        try {
            if (insecure) {
                trustManagers = InsecureTrustManagerFactory.INSTANCE.getTrustManagers();
                parts.add("INSECURE: any certificate, any host name ("
                        + (insecureAttribute ? "@Http(insecure = true)" : DynoConfiguration.LOAD_TLS_INSECURE_PROPERTY + "=true")
                        + ")");
            } else {
                KeyStore trusted = null;
                Optional<Path> store = configuration.loadTlsTrustStore();
                if (store.isPresent()) {
                    trusted = emptyStore();
                    KeyStore given = load(DynoConfiguration.LOAD_TLS_TRUST_STORE_PROPERTY, store.get(),
                            configuration.loadTlsTrustStorePassword(), "a JKS or PKCS12 trust store (with "
                                    + DynoConfiguration.LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY + " when it has one)");
                    for (String alias : Collections.list(given.aliases())) {
                        Certificate certificate = given.getCertificate(alias);
                        if (certificate != null) {
                            trusted.setCertificateEntry("store-" + alias, certificate);
                        }
                    }
                    parts.add("trust store " + store.get());
                }
                Optional<Path> ca = configuration.loadTlsCaFile();
                if (ca.isPresent()) {
                    trusted = trusted == null ? emptyStore() : trusted;
                    Collection<? extends Certificate> certificates = pem(ca.get());
                    int i = 0;
                    for (Certificate certificate : certificates) {
                        trusted.setCertificateEntry("ca-" + i++, certificate);
                    }
                    parts.add("CA file " + ca.get() + " (" + certificates.size() + " certificates)");
                }
                if (trusted != null) {
                    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    factory.init(trusted);
                    trustManagers = factory.getTrustManagers();
                } else {
                    parts.add("the JDK's trust store");
                }
            }
            Optional<Path> keys = configuration.loadTlsKeyStore();
            if (keys.isPresent()) {
                char[] password = configuration.loadTlsKeyStorePassword().orElse("").toCharArray();
                KeyStore store = load(DynoConfiguration.LOAD_TLS_KEY_STORE_PROPERTY, keys.get(),
                        configuration.loadTlsKeyStorePassword(), "a PKCS12 key store with the client's key and certificate"
                                + " (with " + DynoConfiguration.LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY + ")");
                try {
                    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    factory.init(store, password);
                    keyManagers = factory.getKeyManagers();
                } catch (GeneralSecurityException e) {
                    throw DynoConfiguration.notAllowedValue(DynoConfiguration.LOAD_TLS_KEY_STORE_PROPERTY,
                            keys.get().toString(), "is a PKCS12 key store whose key opens with "
                                    + DynoConfiguration.LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY + " (" + e.getMessage() + ")");
                }
                parts.add("client certificate from " + keys.get());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return new HttpTls(context, insecure, String.join(", ", parts));
        } catch (GeneralSecurityException e) {
            throw new org.junit.jupiter.api.extension.ExtensionConfigurationException("could not set up TLS for load: " + e, e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyStore load(String key, Path path, Optional<String> password, String allowed) {
        try {
            return KeyStore.getInstance(path.toFile(), password.map(String::toCharArray).orElse(null));
        } catch (IOException | GeneralSecurityException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password") ? "wrong password?" : e.getMessage();
            throw DynoConfiguration.notAllowedValue(key, path.toString(), "is " + allowed + "; it could not be read: " + why);
        }
    }

    private static Collection<? extends Certificate> pem(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new java.security.cert.CertificateException("no certificate in it");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw DynoConfiguration.notAllowedValue(DynoConfiguration.LOAD_TLS_CA_FILE_PROPERTY, path.toString(),
                    "is a PEM file of CA certificates (-----BEGIN CERTIFICATE-----); it could not be read: " + e.getMessage());
        }
    }
}
