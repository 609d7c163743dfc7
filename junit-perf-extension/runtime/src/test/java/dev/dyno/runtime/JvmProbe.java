package dev.dyno.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;

/**
 * A tiny Java program for JVM-recording tests, compiled here (a JRE image has no compiler, so
 * {@code java Probe.java} would not run in it): it prints the {@code greeting} system property,
 * sorts some strings (some class loading and JIT work to record), and with {@code wait} prints
 * {@value #READY} and sleeps a minute.
 */
final class JvmProbe {

    static final String CLASS_NAME = "Probe";
    static final String READY = "probe ready";

    private static final String SOURCE = """
            public class Probe {
                public static void main(String[] args) throws Exception {
                    System.out.println("greeting=" + System.getProperty("greeting"));
                    java.util.List<String> list = new java.util.ArrayList<>();
                    for (int i = 0; i < 200_000; i++) {
                        list.add("s" + (i * 7919 % 200_000));
                    }
                    java.util.Collections.sort(list);
                    System.out.println("first=" + list.get(0));
                    if (args.length > 0 && args[0].equals("wait")) {
                        System.out.println("READY");
                        Thread.sleep(60_000);
                    }
                }
            }
            """.replace("READY", READY);

    private JvmProbe() {
    }

    /** Compiles the program into {@code dir}; returns the class file. */
    static Path compile(Path dir) throws IOException {
        Path source = Files.writeString(dir.resolve(CLASS_NAME + ".java"), SOURCE);
        int result = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", dir.toString(),
                source.toString());
        if (result != 0) {
            throw new IllegalStateException("javac failed on " + source);
        }
        return dir.resolve(CLASS_NAME + ".class");
    }
}
