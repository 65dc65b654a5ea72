# Serves on each backend address (answering with that address) and connects COUNT times to VIP:PORT,
# printing how many answers came from each backend, or "refused" when the connection is rejected.
import collections, socket, sys, threading, time

vip, port, count, backends = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]

def serve(ip):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ip, 8080))
    s.listen(64)
    while True:
        c, _ = s.accept()
        c.sendall(ip.encode())
        c.close()

for ip in backends:
    threading.Thread(target=serve, args=(ip,), daemon=True).start()
time.sleep(0.3)
seen = collections.Counter()
for _ in range(count):
    try:
        c = socket.create_connection((vip, port), timeout=2)
    except ConnectionRefusedError:
        print("refused")
        sys.exit(0)
    seen[c.recv(64).decode()] += 1
    c.close()
print(" ".join(f"{k}={v}" for k, v in sorted(seen.items())))
