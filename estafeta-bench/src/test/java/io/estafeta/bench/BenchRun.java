package io.estafeta.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One {@code bench} command line run in this JVM: its exit status, stdout, stderr, and the JSON report. */
record BenchRun(int status, String out, String err) {

    /** Runs {@code bench SCENARIO ...} against 127.0.0.1:port, briefly and quietly, with --json. */
    static BenchRun against(int port, String scenario, String... arguments) {
        List<String> args = new ArrayList<>(List.of(scenario, "--port", Integer.toString(port), "--json", "--quiet",
                "--warm-up", "0s", "--duration", "1s", "--threads", "2"));
        args.addAll(List.of(arguments));
        return execute(args.toArray(String[]::new));
    }

    static BenchRun execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new CommandLine(new BenchCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new BenchRun(status, out.toString(), err.toString());
    }

    JsonObject json() {
        return JsonParser.parseString(out).getAsJsonObject();
    }

    long figure(String section, String name) {
        return json().getAsJsonObject(section).get(name).getAsLong();
    }

    double decimal(String section, String name) {
        return json().getAsJsonObject(section).get(name).getAsDouble();
    }
}
