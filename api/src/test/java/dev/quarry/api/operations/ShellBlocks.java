package dev.quarry.api.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The read-only commands of a runbook: its fenced blocks marked {@code sh} (mitigation is {@code console}). */
final class ShellBlocks {
    private static final Pattern BLOCK = Pattern.compile("(?m)^\\s*```sh\\n(.*?)^\\s*```", Pattern.DOTALL);

    private ShellBlocks() {
    }

    static List<String> in(String markdown) {
        List<String> commands = new ArrayList<>();
        Matcher block = BLOCK.matcher(markdown);
        while (block.find()) commands.add(block.group(1).strip());
        return commands;
    }
}
