using System.CommandLine;
using System.Text;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim completion bash`: a bash completion script for every verb and its options, made from the command tree.</summary>
public static class CompletionCommand
{
    public static Command Create(CliContext ctx, RootCommand root)
    {
        var shell = new Argument<string>("shell") { Description = "bash (the only shell supported)", DefaultValueFactory = _ => "bash" };
        var cmd = new Command("completion", "Print a shell completion script: `source <(perfsim completion bash)`.");
        cmd.Arguments.Add(shell);
        cmd.SetAction(r =>
        {
            if (r.GetValue(shell) != "bash") throw new UsageException($"completion: only 'bash' is supported, got {NumberOptions.Shown(r.GetValue(shell)!)}");
            ctx.Out.Write(Bash(root));
            return 0;
        });
        return cmd;
    }

    public static string Bash(RootCommand root)
    {
        var sb = new StringBuilder();
        sb.Append("# perfsim bash completion: source <(perfsim completion bash)\n");
        sb.Append("_perfsim() {\n  local cur verb\n  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n  verb=\"${COMP_WORDS[1]}\"\n");
        sb.Append("  if [ \"$COMP_CWORD\" -eq 1 ]; then COMPREPLY=( $(compgen -W \"");
        sb.Append(string.Join(" ", root.Subcommands.Select(c => c.Name).Append("help")));
        sb.Append("\" -- \"$cur\") ); return; fi\n  case \"$verb\" in\n");
        foreach (var c in root.Subcommands)
        {
            var words = c.Options.SelectMany(o => new[] { o.Name }.Concat(o.Aliases)).Append("--help").Distinct();
            sb.Append($"    {c.Name}) COMPREPLY=( $(compgen -W \"{string.Join(" ", words)}\" -- \"$cur\") ) ;;\n");
        }
        sb.Append("  esac\n}\ncomplete -F _perfsim perfsim\n");
        return sb.ToString();
    }
}
