package io.foliosync.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The class loader of one plugin-directory jar: a {@link URLClassLoader} whose classes are rewritten as they are
 * defined so that {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} (called directly or through a
 * method reference) call {@link io.foliosync.connectors.api.PluginExitException}'s stand-ins, which throw. A plugin
 * that tries to end the process fails instead, with a typed error naming it.
 *
 * <p>Why rewriting: on Java 17 and later nothing else in the JVM can veto an exit (the SecurityManager is
 * deprecated for removal by JEP 411 and cannot be installed from Java 24), and running every plugin in a separate
 * JVM would turn each call of the plugin API into inter-process messaging. What it does not cover (reflection,
 * method handles looked up by name, JNI) is listed in docs/security.md.
 *
 * <p>Its name is {@code foliosync-plugin-<id>}: the stand-ins read the plugin id from it.
 */
final class ExitGuardingClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String STAND_IN = "io/foliosync/connectors/api/PluginExitException";
    private final ProtectionDomain domain;

    ExitGuardingClassLoader(String pluginId, URL jar, ClassLoader parent) {
        super("foliosync-plugin-" + pluginId, new URL[] {jar}, parent);
        this.domain = new ProtectionDomain(new CodeSource(jar, (CodeSigner[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        URL url = findResource(name.replace('.', '/') + ".class");
        if (url == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] original;
        try (InputStream in = url.openStream()) {
            original = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e.getMessage(), e);
        }
        byte[] bytes = rewrite(original);
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException alreadyDefinedByAnotherThread) {
                    // parallel-capable: another thread defined it first
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** @return the class with every exit call site pointed at the stand-ins; unchanged bytes when it has none */
    static byte[] rewrite(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        // no COMPUTE_* flags: the stand-ins take the same operands, so stack sizes and frames stay as they were
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] changed = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String mName, String mDesc, boolean itf) {
                        String standIn = standIn(owner, mName, mDesc);
                        if (standIn != null && (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKEVIRTUAL)) {
                            changed[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, STAND_IN, standIn,
                                    staticDescriptor(owner, mDesc), false);
                            return;
                        }
                        super.visitMethodInsn(opcode, owner, mName, mDesc, itf);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String iName, String iDesc, Handle bootstrap,
                                                       Object... args) {
                        Object[] out = args.clone();
                        for (int i = 0; i < out.length; i++) {
                            if (out[i] instanceof Handle h) {
                                String standIn = standIn(h.getOwner(), h.getName(), h.getDesc());
                                if (standIn != null) {
                                    changed[0] = true;
                                    out[i] = new Handle(Opcodes.H_INVOKESTATIC, STAND_IN, standIn,
                                            staticDescriptor(h.getOwner(), h.getDesc()), false);
                                }
                            }
                        }
                        super.visitInvokeDynamicInsn(iName, iDesc, bootstrap, out);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : classFile;
    }

    /** @return the stand-in's name for an exit method, else null */
    private static String standIn(String owner, String name, String desc) {
        if (!"(I)V".equals(desc)) {
            return null;
        }
        if ("java/lang/System".equals(owner) && "exit".equals(name)) {
            return "exit";
        }
        if ("java/lang/Runtime".equals(owner)) {
            return switch (name) {
                case "exit" -> "runtimeExit";
                case "halt" -> "runtimeHalt";
                default -> null;
            };
        }
        return null;
    }

    /** Runtime's instance methods become static ones taking the Runtime first: the same operands on the stack. */
    private static String staticDescriptor(String owner, String desc) {
        return "java/lang/Runtime".equals(owner) ? "(Ljava/lang/Runtime;I)V" : desc;
    }
}
