import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { CaissesService } from '../../caisses/caisses.service.js';
import { Conflict } from '../../common/errors/domain-error.js';
import { ReadReplica } from '../../database/read-replica.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import { FecBatchEncoder } from './fec-encoder.js';
import { encodeFec, fecBatch, fecFilename, fecHeader, FecNumbering, fecRecord, FEC_FIELDS } from './fec-format.js';

export interface FecFile {
  filename: string;
  stream: Readable;
}

export interface FecPreview {
  filename: string;
  fiscalYear: { start: string; last: string };
  fields: string[];
  lines: Record<string, string>[];
}

/** The FEC of a fiscal year (art. A47 A-1 LPF), streamed: header, then one line per journal line. */
@Injectable()
export class FecExportService {
  constructor(
    private readonly caisses: CaissesService,
    private readonly ledger: LedgerService,
    private readonly replica: ReadReplica,
  ) {}

  /** Checks everything that can fail before the first byte goes out: after that, a 200 has been promised. */
  async open(caisseId: string, year: number): Promise<FecFile> {
    const { filename, start, ledger } = await this.prepare(caisseId, year);
    async function* bytes(): AsyncGenerator<Buffer> {
      yield encodeFec(fecHeader());
      const numbering = new FecNumbering();
      const encoder = new FecBatchEncoder();
      for await (const rows of ledger.fecRows(caisseId, start)) yield fecBatch(rows, numbering, encoder);
    }
    return { filename, stream: Readable.from(bytes(), { objectMode: false, highWaterMark: 1 << 20 }) };
  }

  async preview(caisseId: string, year: number, limit: number): Promise<FecPreview> {
    const { filename, start, last } = await this.prepare(caisseId, year);
    const numbering = new FecNumbering();
    const lines: Record<string, string>[] = [];
    const source = this.ledger.fecRows(caisseId, start, limit);
    for await (const rows of source) {
      for (const row of rows) {
        if (lines.length >= limit) break;
        lines.push(fecRecord(row, numbering.next(row)));
      }
      if (lines.length >= limit) break;
    }
    return { filename, fiscalYear: { start, last }, fields: [...FEC_FIELDS], lines };
  }

  /** On the replica while it keeps up, like the lines themselves (FecSource). */
  private prepare(caisseId: string, year: number) {
    return this.replica.read(() => this.check(caisseId, year));
  }

  private async check(caisseId: string, year: number) {
    const caisse = await this.caisses.get(caisseId);
    if (!caisse.siren) {
      throw new Conflict('SIREN_MISSING', 'The FEC is named after the SIREN of the caisse, which has none: set it on the caisse first.');
    }
    const { start, last } = await this.ledger.fiscalYear(caisseId, year);
    return { filename: fecFilename(caisse.siren, last), start, last, ledger: this.ledger };
  }
}
