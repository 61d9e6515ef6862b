import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Adds .openapi() to zod once; every API schema imports z from here so the metadata is always available.
extendZodWithOpenApi(z);

export { z };
