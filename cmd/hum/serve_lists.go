package main

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"

	"hum/internal/archive"
	"hum/internal/db"
	"hum/internal/lists"
	"hum/internal/mail"
)

// archiver adapts archive.Service to lists.Archiver.
type archiver struct{ s *archive.Service }

func (a archiver) Archive(ctx context.Context, tx *db.Tx, list string, raw []byte) (string, bool, error) {
	st, err := a.s.Add(ctx, tx, list, raw)
	return st.ID, st.Duplicate, err
}

// serveLists starts what list mail needs: the lists exist, the
// Deliverer sends copies (when there is a smarthost), and the endpoint
// takes mail on addr, as SMTP or, with lmtp, as LMTP behind an MTA.
func serveLists(ctx context.Context, bg *sync.WaitGroup, ls *lists.Service, addr string, lmtp bool, smarthost, domain, dkimKey, dkimSelector string, log *slog.Logger) error {
	if err := ls.Ensure(ctx); err != nil {
		return err
	}
	var key *lists.DKIMKey
	if dkimKey != "" {
		signer, err := readDKIMKey(dkimKey)
		if err != nil {
			return err
		}
		key = &lists.DKIMKey{Domain: domain, Selector: dkimSelector, Signer: signer}
	}
	if smarthost != "" {
		dl := &lists.Deliverer{Lists: ls, Smarthost: smarthost, Hello: domain, Log: log, DKIM: key}
		ls.Wake = dl.Wake
		ls.Sending = true
		bg.Add(1)
		go func() { defer bg.Done(); dl.Run(ctx) }()
	}
	if addr == "" {
		return nil
	}
	network := "tcp"
	if len(addr) > 0 && addr[0] == '/' {
		network = "unix" // an LMTP socket for Postfix
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	ep := &mail.Endpoint{Hostname: domain, Target: ls, Checker: &mail.Checker{Hostname: domain}, LMTP: lmtp, Log: log}
	bg.Add(2)
	go func() {
		defer bg.Done()
		if err := ep.Serve(ln); err != nil {
			log.Error("smtp endpoint", "err", err)
		}
	}()
	go func() { defer bg.Done(); <-ctx.Done(); ep.Close() }()
	proto := "smtp"
	if lmtp {
		proto = "lmtp"
	}
	log.Info("list mail endpoint listening", "proto", proto, "addr", ln.Addr().String(), "domain", domain)
	return nil
}

// readDKIMKey reads a PEM private key (PKCS#8, or PKCS#1 RSA).
func readDKIMKey(path string) (crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("--dkim-key %s: no PEM block", path)
	}
	if k, err := x509.ParsePKCS1PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("--dkim-key %s: %w", path, err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("--dkim-key %s: not a signing key", path)
	}
	return signer, nil
}
