import com.sun.tools.attach.VirtualMachine;
/** Loads an agent into a running JVM: Attach <pid> <agent .so> <options> (jcmd JVMTI.agent_load mangles key=value options). */
public class Attach {
    public static void main(String[] a) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(a[0]);
        try { vm.loadAgentPath(a[1], a[2]); } finally { vm.detach(); }
    }
}
