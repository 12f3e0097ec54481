package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CompletionTest {

  @Test
  void generateCompletionPrintsABashAndZshScriptThatKnowsEveryCommandAndItsOptions() {
    CommandLine cl = PxopsMain.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("generate-completion")).isZero();
    String script = out.toString();
    assertThat(script).contains("complete -F _complete_pxops", "submit", "watch", "status", "list", "replay",
        "history", "--token");
  }
}
