//! IPv4 CIDR arithmetic for pod and service address allocation.

use std::net::Ipv4Addr;

/// An IPv4 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    /// Network address.
    pub base: u32,
    /// Prefix length.
    pub prefix: u8,
}

impl Cidr {
    /// Parses `10.244.0.0/16`; `None` when malformed.
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, prefix) = s.split_once('/')?;
        let ip: Ipv4Addr = ip.parse().ok()?;
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
        let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
        Some(Cidr { base: u32::from(ip) & mask, prefix })
    }

    /// Number of addresses.
    pub fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    /// The address at `offset` from the network address.
    pub fn nth(&self, offset: u64) -> String {
        Ipv4Addr::from(self.base.wrapping_add(offset as u32)).to_string()
    }

    /// The offset of `ip` inside this network, if it is inside.
    pub fn offset_of(&self, ip: &str) -> Option<u64> {
        let ip: Ipv4Addr = ip.parse().ok()?;
        let off = u64::from(u32::from(ip).wrapping_sub(self.base));
        (off < self.size()).then_some(off)
    }

    /// The `index`-th sub-network of prefix `prefix` (node pod CIDRs).
    pub fn subnet(&self, prefix: u8, index: u32) -> Cidr {
        let step = 1u32 << (32 - u32::from(prefix));
        Cidr { base: self.base.wrapping_add(step.wrapping_mul(index)), prefix }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.base), self.prefix)
    }
}

/// A pool of addresses handed out in order (MetalLB's `addresses`: a
/// CIDR, every address of it, or an inclusive `first-last` range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    first: u32,
    last: u32,
}

impl Pool {
    /// Parses `172.18.255.200/28` or `192.168.1.240-192.168.1.250`.
    pub fn parse(s: &str) -> Option<Pool> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once('-') {
            let first = u32::from(a.trim().parse::<Ipv4Addr>().ok()?);
            let last = u32::from(b.trim().parse::<Ipv4Addr>().ok()?);
            return (first <= last).then_some(Pool { first, last });
        }
        let cidr = Cidr::parse(s)?;
        let last = cidr.base.wrapping_add((cidr.size() - 1) as u32);
        Some(Pool { first: cidr.base, last })
    }

    /// The addresses, in order.
    pub fn addresses(&self) -> impl Iterator<Item = String> + '_ {
        (self.first..=self.last).map(|ip| Ipv4Addr::from(ip).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_math() {
        let c = Cidr::parse("10.96.0.0/12").unwrap();
        assert_eq!(c.nth(1), "10.96.0.1");
        assert_eq!(c.offset_of("10.96.0.10"), Some(10));
        assert_eq!(c.offset_of("10.112.0.1"), None);
        let pods = Cidr::parse("10.244.0.0/16").unwrap();
        assert_eq!(pods.subnet(24, 1).to_string(), "10.244.1.0/24");
    }

    #[test]
    fn pools() {
        let range = Pool::parse("192.168.1.240-192.168.1.242").unwrap();
        assert_eq!(
            range.addresses().collect::<Vec<_>>(),
            ["192.168.1.240", "192.168.1.241", "192.168.1.242"]
        );
        let cidr = Pool::parse("172.18.255.200/30").unwrap();
        assert_eq!(cidr.addresses().count(), 4);
        assert!(Pool::parse("10.0.0.5-10.0.0.1").is_none());
        assert!(Pool::parse("nope").is_none());
    }
}
