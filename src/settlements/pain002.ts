import { SaxesParser } from 'saxes';

/** What a pain.002 (customer payment status report) says about one transfer. */
export interface TransferStatus {
  endToEndId: string;
  /** ACCP, ACSC, ACSP, ACTC, ACWC, PDNG, RJCT… */
  status: string;
  reasonCode: string | null;
  reasonText: string | null;
  /** Line of the transaction in the file, for error messages. */
  line: number;
}

export interface StatusReport {
  messageId: string;
  originalMessageId: string;
  /** Line of OrgnlMsgId, for error messages. */
  originalMessageLine: number;
  groupStatus: string | null;
  groupReasonCode: string | null;
  transactions: TransferStatus[];
}

/** A refusal of the file itself, with the line it was found at (1-based). */
export class Pain002Error extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

interface Node {
  name: string;
  line: number;
  text: string;
  children: Node[];
}

const MAX_DEPTH = 32;
const MAX_ELEMENTS = 200_000;

/**
 * A small element tree read with saxes. Any DOCTYPE is refused before its content matters, so neither external
 * entities nor entity expansion (XML bombs) can happen; saxes itself only knows the five predefined entities.
 */
function parseTree(xml: string): Node {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const root: Node = { name: '#root', line: 1, text: '', children: [] };
  const stack = [root];
  let count = 0;
  let failure: Pain002Error | undefined;
  const fail = (message: string) => {
    failure ??= new Pain002Error(message, parser.line);
    throw failure;
  };
  parser.on('error', (e) => fail(e.message.replace(/^[^:]*:\d+:\d+: /, '')));
  parser.on('doctype', () => fail('a DOCTYPE is not accepted (no DTD, no entities)'));
  parser.on('opentag', (tag) => {
    if (stack.length > MAX_DEPTH) fail(`elements are nested deeper than ${MAX_DEPTH}`);
    if (++count > MAX_ELEMENTS) fail(`more than ${MAX_ELEMENTS} elements`);
    const node: Node = { name: tag.name.replace(/^.*:/, ''), line: parser.line, text: '', children: [] };
    stack[stack.length - 1].children.push(node);
    if (!tag.isSelfClosing) stack.push(node);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  parser.on('text', (t) => {
    if (stack.length > 1) stack[stack.length - 1].text += t;
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    throw failure ?? new Pain002Error(e instanceof Error ? e.message : 'unreadable XML', parser.line);
  }
  return root;
}

const child = (n: Node, path: string): Node | undefined =>
  path.split('/').reduce<Node | undefined>((cur, name) => cur?.children.find((c) => c.name === name), n);
const value = (n: Node, path: string): string | null => {
  const found = child(n, path);
  return found ? found.text.trim() : null;
};
function required(n: Node, path: string): { text: string; line: number } {
  const found = child(n, path);
  const text = found?.text.trim();
  if (!found || !text) throw new Pain002Error(`${n.name}/${path} is missing`, n.line);
  return { text, line: found.line };
}

/** Reads a pain.002 status report (any version: .001.03 to .001.14 share these elements). */
export function parsePain002(xml: string): StatusReport {
  const tree = parseTree(xml);
  const doc = tree.children[0];
  if (!doc || doc.name !== 'Document') throw new Pain002Error('the root element must be Document', doc?.line ?? 1);
  const report = child(doc, 'CstmrPmtStsRpt');
  if (!report) throw new Pain002Error('Document/CstmrPmtStsRpt is missing: this is not a pain.002 payment status report', doc.line);
  const original = child(report, 'OrgnlGrpInfAndSts');
  if (!original) throw new Pain002Error('CstmrPmtStsRpt/OrgnlGrpInfAndSts is missing', report.line);
  const orgnlMsgId = required(original, 'OrgnlMsgId');
  const transactions: TransferStatus[] = [];
  for (const block of report.children.filter((c) => c.name === 'OrgnlPmtInfAndSts')) {
    for (const tx of block.children.filter((c) => c.name === 'TxInfAndSts')) {
      const reason = child(tx, 'StsRsnInf');
      const status = value(tx, 'TxSts') ?? value(block, 'PmtInfSts');
      if (!status) throw new Pain002Error('TxInfAndSts/TxSts is missing', tx.line);
      transactions.push({
        endToEndId: required(tx, 'OrgnlEndToEndId').text,
        status,
        reasonCode: reason ? (value(reason, 'Rsn/Cd') ?? value(reason, 'Rsn/Prtry')) : null,
        reasonText: reason ? reason.children.filter((c) => c.name === 'AddtlInf').map((c) => c.text.trim()).join(' ') || null : null,
        line: tx.line,
      });
    }
  }
  return {
    messageId: required(report, 'GrpHdr/MsgId').text,
    originalMessageId: orgnlMsgId.text,
    originalMessageLine: orgnlMsgId.line,
    groupStatus: value(original, 'GrpSts'),
    groupReasonCode: value(original, 'StsRsnInf/Rsn/Cd'),
    transactions,
  };
}
