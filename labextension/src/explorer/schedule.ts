/**
 * Latest-wins frame scheduling: any number of requests between two frames become one frame, computed
 * from the state at the moment it starts; at most one frame is in flight and at most one waits, so
 * dragging never queues stale frames. Frames start in requestAnimationFrame callbacks.
 */
export interface FrameClock {
  request(cb: () => void): number;
  cancel(handle: number): void;
}

export class LatestWins {
  private wanted = false;
  private running = false;
  private handle: number | null = null;
  private disposed = false;
  /** Frames started so far. */
  started = 0;

  /** `work` computes and shows one frame; its errors go to `onError`. */
  constructor(
    private readonly clock: FrameClock,
    private readonly work: () => Promise<void>,
    private readonly onError: (e: unknown) => void
  ) {}

  /** Ask for a frame showing the current state. */
  request(): void {
    this.wanted = true;
    this.arm();
  }

  /** True when another frame will follow (inputs arrived since the current frame started). */
  get pending(): boolean {
    return !this.disposed && this.wanted;
  }

  /** True while a frame is computing or waiting to start. */
  get busy(): boolean {
    return this.running || this.handle !== null;
  }

  dispose(): void {
    this.disposed = true;
    if (this.handle !== null) {
      this.clock.cancel(this.handle);
      this.handle = null;
    }
  }

  private arm(): void {
    if (this.disposed || this.running || this.handle !== null || !this.wanted) {
      return;
    }
    this.handle = this.clock.request(() => void this.tick());
  }

  private async tick(): Promise<void> {
    this.handle = null;
    if (this.disposed || !this.wanted) {
      return;
    }
    this.wanted = false;
    this.running = true;
    this.started++;
    try {
      await this.work();
    } catch (e) {
      this.onError(e);
    } finally {
      this.running = false;
    }
    this.arm();
  }
}
