"use client";

import { GithubOutlined, LockOutlined, LoginOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Divider, Form, Input, Typography } from "antd";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";

interface ProviderInfo {
  id: string;
  name: string;
  type: string;
}

// next-auth's error codes for redirects back from OAuth/OIDC providers, in words.
const ERROR_TEXT: Record<string, string> = {
  OAuthSignin: "The sign-in provider could not be reached.",
  OAuthCallback: "The sign-in provider's answer could not be verified.",
  AccessDenied: "Access was denied.",
  SessionRequired: "Sign in to continue.",
};

export function SignInForm({ providers, callbackUrl, initialError }: { providers: ProviderInfo[]; callbackUrl: string; initialError?: string }) {
  const router = useRouter();
  const [error, setError] = useState(initialError ? (Object.hasOwn(ERROR_TEXT, initialError) ? ERROR_TEXT[initialError] : "Sign-in failed.") : undefined);
  const [pending, setPending] = useState(false);
  const local = providers.find((p) => p.type === "credentials");
  const external = providers.filter((p) => p.type !== "credentials");

  async function submit(values: { username: string; password: string }) {
    setPending(true);
    setError(undefined);
    const result = await signIn(local!.id, { ...values, redirect: false, callbackUrl });
    setPending(false);
    if (!result || result.error) {
      // Errors thrown by the credentials check arrive as their message; anything else as next-auth's code.
      setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong user name or password.");
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <main style={{ display: "flex", justifyContent: "center", paddingTop: "10vh" }}>
      <Card style={{ width: "100%", maxWidth: 380 }}>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          Sign in to Slipway
        </Typography.Title>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
        {local ? (
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item label="User name" name="username" rules={[{ required: true, message: "Enter your user name." }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label="Password" name="password" rules={[{ required: true, message: "Enter your password." }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={pending} icon={<LoginOutlined />}>
              Sign in
            </Button>
          </Form>
        ) : null}
        {local && external.length > 0 ? <Divider plain>or</Divider> : null}
        {external.map((provider) => (
          <Button
            key={provider.id}
            block
            icon={provider.id === "github" ? <GithubOutlined /> : <LoginOutlined />}
            onClick={() => signIn(provider.id, { callbackUrl })}
            style={{ marginBottom: 8 }}
          >
            Sign in with {provider.name}
          </Button>
        ))}
      </Card>
    </main>
  );
}
