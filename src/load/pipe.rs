//! Bytes made on another thread (an archive's member or a sheet's XML inflated), read as
//! they are made: memory holds a few chunks, never the whole.

use std::io::{self, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Bytes sent at a time.
const CHUNK: usize = 64 * 1024;
/// Chunks made ahead of the reader.
const AHEAD: usize = 4;

/// The reading end: the text, in order, then the producer's error if it failed.
pub struct Piped {
    rx: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for Piped {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The producer is done (it drops its end when it returns).
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The writing end given to the producer.
pub struct Sink {
    tx: SyncSender<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.chunk.extend_from_slice(buf);
        if self.chunk.len() >= CHUNK {
            self.flush()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        // The reader gave up (an error it met, or it had read enough): stop making.
        self.tx
            .send(Ok(chunk))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

/// Runs `make` on a thread of its own, writing into a [`Sink`]; returns the reading end.
/// An error `make` returns reaches the reader after the text made before it.
pub fn spawn(make: impl FnOnce(&mut Sink) -> io::Result<()> + Send + 'static) -> Piped {
    let (tx, rx) = sync_channel(AHEAD);
    let thread = std::thread::Builder::new().name("popdelta-unpack".into());
    let spawned = {
        let tx = tx.clone();
        thread.spawn(move || {
            let mut sink = Sink {
                tx,
                chunk: Vec::with_capacity(CHUNK),
            };
            // What was made before an error is the reader's too: it may name the line.
            let made = make(&mut sink);
            let made = sink.flush().and(made);
            if let Err(e) = made
                && e.kind() != io::ErrorKind::BrokenPipe
            {
                let _ = sink.tx.send(Err(e));
            }
        })
    };
    if let Err(e) = spawned {
        let _ = tx.send(Err(e));
    }
    Piped {
        rx,
        chunk: Vec::new(),
        at: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_arrives_whole_and_in_order_then_the_error() {
        let mut piped = spawn(|sink| {
            for i in 0..100_000 {
                writeln!(sink, "line {i}")?;
            }
            Err(io::Error::other("stopped"))
        });
        let mut text = Vec::new();
        let err = piped.read_to_end(&mut text).unwrap_err();
        assert_eq!(err.to_string(), "stopped");
        let text = String::from_utf8(text).unwrap();
        assert_eq!(text.lines().count(), 100_000);
        assert!(text.ends_with("line 99999\n"));
    }

    #[test]
    fn a_reader_that_stops_early_stops_the_maker() {
        let mut piped = spawn(|sink| {
            loop {
                sink.write_all(&[b'x'; 1000])?;
            }
        });
        let mut first = [0; 10];
        piped.read_exact(&mut first).unwrap();
        drop(piped);
    }
}
