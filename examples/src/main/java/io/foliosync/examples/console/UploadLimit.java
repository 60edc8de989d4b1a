package io.foliosync.examples.console;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a request body over the console's upload limit with 413 and a sentence, in front of the servlet: one
 * that declares its length is refused before a byte of it is read; one sent in chunks, without a length, is cut
 * off where it passes the limit with a {@link TooLarge} failure, which the console's exception handler finds by
 * type and answers 413 (Jetty's own multipart limit would end as "400: bad multipart", and Javalin's handler as
 * a 500 with a stack trace).
 */
final class UploadLimit extends Handler.Wrapper {
    private final long limit;
    private final String message;

    UploadLimit(long limit, String message) {
        this.limit = limit;
        this.message = message;
    }

    /** A body passed the limit while it was read. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message, null, false, false); // no stack: it is an answer, not a fault
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long declared = request.getLength();
        if (declared > limit) {
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, message);
            return true;
        }
        return super.handle(declared >= 0 ? request : new Counting(request), response, callback);
    }

    private final class Counting extends Request.Wrapper {
        private long read;

        Counting(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) {
                return chunk;
            }
            read += chunk.remaining();
            if (read > limit) {
                chunk.release();
                return Content.Chunk.from(new TooLarge(message), true);
            }
            return chunk;
        }
    }
}
