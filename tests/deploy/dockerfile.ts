/** The Dockerfile's stages as the tests need them, through dockerfile-ast (the parser of VS Code's Docker language service). */
import { DockerfileParser } from 'dockerfile-ast';

export interface Stage {
  from: string;
  name?: string;
  runs: string[];
  copies: { src: string; dest: string; from?: string }[];
  user?: string;
  expose: string[];
  healthcheck?: string[];
  entrypoint?: string[];
  cmd?: string[];
}

/** ["node", "x"] of an exec-form instruction (JSON array); throws on the shell form. */
export function execForm(text: string, what: string): string[] {
  const json = text.trim();
  if (!json.startsWith('[')) throw new Error(`${what}: shell form "${json}"; use the exec (JSON) form so signals reach node`);
  return JSON.parse(json) as string[];
}

export function dockerfileStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const kw = ins.getKeyword();
    const args = ins.getArguments().map((a) => a.getValue());
    const content = ins.getArgumentsContent() ?? '';
    if (kw === 'FROM') {
      stages.push({ from: args[0], name: args[2], runs: [], copies: [], expose: [] });
      continue;
    }
    const s = stages.at(-1);
    if (!s) throw new Error(`${kw} before FROM`);
    if (kw === 'RUN') s.runs.push(content.replace(/\\\n/g, ' '));
    if (kw === 'USER') s.user = args[0];
    if (kw === 'EXPOSE') s.expose.push(...args);
    if (kw === 'ENTRYPOINT') s.entrypoint = execForm(content, 'ENTRYPOINT');
    if (kw === 'CMD') s.cmd = execForm(content, 'CMD');
    if (kw === 'HEALTHCHECK') s.healthcheck = execForm(content.replace(/\\\n/g, ' ').replace(/^.*?\bCMD\b/s, ''), 'HEALTHCHECK');
    if (kw === 'COPY') {
      const from = /--from=(\S+)/.exec(ins.getTextContent())?.[1];
      const paths = args.filter((a) => !a.startsWith('--'));
      const dest = paths.pop()!;
      for (const src of paths) s.copies.push({ src, dest: paths.length > 1 ? `${dest.replace(/\/$/, '')}/${src.split('/').pop()}` : dest, from });
    }
  }
  return stages;
}
