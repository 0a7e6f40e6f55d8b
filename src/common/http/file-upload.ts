import { createParamDecorator, type ExecutionContext, Injectable, type NestInterceptor, type CallHandler, type Type, mixin } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { DomainError, ValidationFailed } from '../errors/domain-error.js';
import type { HttpRequest } from './http-types.js';
import { cleanText } from './safe-json.js';

/** A file read from a multipart request, whole in memory (the route's limit bounds it). */
export interface UploadedFileData {
  originalname?: string;
  mimetype?: string;
  size: number;
  buffer: Buffer;
}

export interface UploadLimits {
  fileSize: number;
  fields: number;
  fieldSize: number;
}

const UPLOAD = Symbol('upload');
type WithUpload = HttpRequest & { [UPLOAD]?: UploadedFileData };

/**
 * Reads a multipart/form-data request after the route's guard has run (an intruder's upload is never read): the
 * text fields become the body the DTO validates, the one file named `field` is kept for `@UploadedDocument()`.
 * A file over the limit is a 413, a second file or a file under another name a 400 naming it.
 */
export function FileUpload(field: string, limits: UploadLimits): Type<NestInterceptor> {
  @Injectable()
  class FileUploadInterceptor implements NestInterceptor {
    async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const req = ctx.switchToHttp().getRequest<WithUpload>();
      if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the document as multipart/form-data.');
      const body: Record<string, string> = {};
      try {
        for await (const part of req.parts({ limits: { fileSize: limits.fileSize, files: 1, fields: limits.fields, fieldSize: limits.fieldSize } })) {
          if (part.type === 'file') {
            const buffer = await part.toBuffer();
            if (part.fieldname !== field) throw new ValidationFailed({ [part.fieldname]: [`${part.fieldname} is not a file field; send the file as ${field}`] });
            req[UPLOAD] = { originalname: part.filename, mimetype: part.mimetype, size: buffer.length, buffer };
          } else {
            body[cleanText(part.fieldname, part.fieldname)] = cleanText(String(part.value), part.fieldname);
          }
        }
      } catch (e) {
        throw uploadError(e);
      }
      req.body = body;
      return next.handle();
    }
  }
  return mixin(FileUploadInterceptor);
}

function uploadError(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new DomainError('PAYLOAD_TOO_LARGE', 413, 'The file is larger than this route accepts.');
  if (code === 'FST_FILES_LIMIT') return new ValidationFailed({ file: ['send one file only'] });
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return new DomainError('VALIDATION_FAILED', 400, 'The form has too many fields.');
  if (code === 'FST_PROTO_VIOLATION') return new ValidationFailed({ __proto__: ['is not an accepted field name'] });
  // Everything else comes from reading the client's bytes (busboy: no boundary, a truncated form, a bad part header).
  return new DomainError('MALFORMED_MULTIPART', 400, 'The multipart body could not be read.');
}

/** The file `FileUpload` read, or undefined when the form had none. */
export const UploadedDocument = createParamDecorator((_: unknown, ctx: ExecutionContext): UploadedFileData | undefined => {
  return ctx.switchToHttp().getRequest<WithUpload>()[UPLOAD];
});
